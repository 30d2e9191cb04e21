using FriendlyChaoyang.Growth;

namespace FriendlyChaoyang.Courses;

/// <summary>What an operator or admin publishes (红驿课堂).</summary>
[GenerateSerializer, Immutable, Alias("fc.CourseDefinition")]
public sealed record CourseDefinition(
    [property: Id(0)] string Title,
    [property: Id(1)] string Provider,
    [property: Id(2)] DateTimeOffset StartsAt,
    [property: Id(3)] int Sessions,
    [property: Id(4)] int Capacity);

/// <param name="SubdistrictId">The publishing operator's subdistrict, whose operators mark completions; null for an admin's course (any operator).</param>
/// <param name="RequestFingerprint">Of the create request, so a replayed Idempotency-Key with another body is told apart.</param>
[GenerateSerializer, Immutable, Alias("fc.NewCourse")]
public sealed record NewCourse(
    [property: Id(0)] CourseDefinition Definition,
    [property: Id(1)] string CreatedBy,
    [property: Id(2)] string? SubdistrictId,
    [property: Id(3)] string RequestFingerprint);

[GenerateSerializer, Immutable, Alias("fc.CourseView")]
public sealed record CourseView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Title,
    [property: Id(2)] string Provider,
    [property: Id(3)] DateTimeOffset StartsAt,
    [property: Id(4)] int Sessions,
    [property: Id(5)] int Capacity,
    [property: Id(6)] int Enrolled,
    [property: Id(7)] int Completed,
    [property: Id(8)] string? SubdistrictId);

[GenerateSerializer, Alias("fc.CourseOutcome")]
public enum CourseOutcome
{
    Answered = 0,
    NotFound = 1,
    /// <summary>The course's Idempotency-Key was first used with another request.</summary>
    DifferentRequest = 2,
    /// <summary>Every place is taken (a rider already enrolled is answered, never refused).</summary>
    Full = 3,
    /// <summary>A completion for a rider who is not enrolled.</summary>
    NotEnrolled = 4,
    /// <summary>A completion by an operator of another subdistrict than the course's.</summary>
    WrongSubdistrict = 5,
}

[GenerateSerializer, Immutable, Alias("fc.CourseResult")]
public sealed record CourseResult([property: Id(0)] CourseOutcome Outcome, [property: Id(1)] CourseView? Course);

/// <param name="Enrolment">The rider's standing, when answered.</param>
[GenerateSerializer, Immutable, Alias("fc.EnrolmentResult")]
public sealed record EnrolmentResult([property: Id(0)] CourseOutcome Outcome, [property: Id(1)] GrowthCourse? Enrolment);

/// <summary>The operator who marks a completion: their token's subject and subdistrict.</summary>
[GenerateSerializer, Immutable, Alias("fc.CourseOperator")]
public sealed record CourseOperator([property: Id(0)] string OperatorId, [property: Id(1)] string SubdistrictId);

public static class CourseLimits
{
    public const int MaxTitleLength = 200;
    public const int MaxProviderLength = 100;
    public const int MaxSessions = 1_000;
    public const int MaxCapacity = 10_000;
}

/// <summary>
/// One course, keyed by its id: the single writer of its places. Not reentrant, so enrolments are decided one at a time
/// and the places taken never exceed the capacity, however many riders race for the last one.
/// </summary>
[Alias("fc.ICourseGrain")]
public interface ICourseGrain : IGrainWithStringKey
{
    /// <summary>Publishes the course. A repeat with the same fingerprint returns the first result.</summary>
    [Alias("Create")]
    Task<CourseResult> CreateAsync(NewCourse course);

    /// <returns>Null for an id that was never created.</returns>
    [Alias("Get")]
    Task<CourseView?> GetAsync();

    /// <summary>A place while there is one (Full otherwise). A repeat answers the rider's standing, whatever the places left.</summary>
    [Alias("Enrol")]
    Task<EnrolmentResult> EnrolAsync(string riderId);

    /// <summary>Marks an enrolled rider's completion once; a repeat answers the same.</summary>
    [Alias("Complete")]
    Task<EnrolmentResult> CompleteAsync(string riderId, CourseOperator by);
}

/// <summary>Every published course by start, so the course list pages without asking every course. Keyed 0.</summary>
[Alias("fc.ICourseCatalogGrain")]
public interface ICourseCatalogGrain : IGrainWithIntegerKey
{
    [Alias("Add")]
    Task AddAsync(string courseId, DateTimeOffset startsAt);

    /// <summary>The courses on the page, soonest start first (ids listed but never stored are skipped).</summary>
    [Alias("List")]
    Task<IReadOnlyList<CourseView>> ListAsync(int page, int pageSize);
}
