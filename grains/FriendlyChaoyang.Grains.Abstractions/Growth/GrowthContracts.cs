using FriendlyChaoyang.Commendations;

namespace FriendlyChaoyang.Growth;

/// <summary>Where a rider stands in a course. Stored by number, so these numbers never change.</summary>
[GenerateSerializer, Alias("fc.CourseProgress")]
public enum CourseProgress
{
    Enrolled = 0,
    Completed = 1,
}

/// <summary>One course in a rider's growth record (and the answer to an enrolment or a completion).</summary>
[GenerateSerializer, Immutable, Alias("fc.GrowthCourse")]
public sealed record GrowthCourse(
    [property: Id(0)] string Id,
    [property: Id(1)] string Title,
    [property: Id(2)] CourseProgress Status,
    [property: Id(3)] DateTimeOffset EnrolledAt,
    [property: Id(4)] DateTimeOffset? CompletedAt);

/// <param name="Courses">Enrolled and completed courses, in the order the rider enrolled.</param>
/// <param name="ActivitiesAttended">Station activities the rider was scanned in at.</param>
/// <param name="Commendations">Standing banners, thank-you letters and letters home (revoked ones do not count).</param>
/// <param name="GoodDeeds">Standing good-deed commendations (顺手公益).</param>
[GenerateSerializer, Immutable, Alias("fc.GrowthRecord")]
public sealed record GrowthRecord(
    [property: Id(0)] IReadOnlyList<GrowthCourse> Courses,
    [property: Id(1)] int ActivitiesAttended,
    [property: Id(2)] int Commendations,
    [property: Id(3)] int GoodDeeds);

/// <summary>
/// A rider's growth record, keyed by rider id. The grains that own each fact (a course, an activity, a commendation)
/// deliver it here through their outboxes, retried until acknowledged; every record is keyed by its source's id, so a
/// repeated delivery changes nothing and the counts stay true.
/// </summary>
[Alias("fc.IGrowthGrain")]
public interface IGrowthGrain : IGrainWithStringKey
{
    /// <summary>Records the rider's standing in a course; a late delivery never moves a completed course back.</summary>
    [Alias("RecordCourse")]
    Task RecordCourseAsync(GrowthCourse course);

    /// <summary>Counts an activity the rider attended, once per activity.</summary>
    [Alias("RecordAttendance")]
    Task RecordAttendanceAsync(string activityId);

    /// <summary>Records a commendation or its revocation; a late delivery never restores a revoked one.</summary>
    [Alias("RecordCommendation")]
    Task RecordCommendationAsync(RiderCommendation commendation);

    [Alias("Get")]
    Task<GrowthRecord> GetAsync();

    /// <summary>The rider's commendations, newest first, revoked ones included (with revokedAt).</summary>
    [Alias("ListCommendations")]
    Task<IReadOnlyList<RiderCommendation>> ListCommendationsAsync(int page, int pageSize);
}
