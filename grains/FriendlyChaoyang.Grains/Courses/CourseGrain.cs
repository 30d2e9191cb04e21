using FriendlyChaoyang.Growth;
using FriendlyChaoyang.Notifications;
using FriendlyChaoyang.Persistence;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FriendlyChaoyang.Courses;

/// <summary>
/// One course. Not reentrant: an enrolment checks the places left and takes one in a single turn, so concurrent riders
/// never overfill it. Each rider's standing reaches their growth record through the course's <see cref="Outbox"/>,
/// retried by the course's reminder until acknowledged.
/// </summary>
public sealed class CourseGrain(
    [PersistentState("course", StorageNames.Default)] IPersistentState<CourseState> state,
    IOptions<CourseOptions> options,
    TimeProvider clock,
    ILogger<CourseGrain> logger) : Grain, ICourseGrain, IRemindable
{
    private const string TickReminder = "course-tick";
    private readonly CourseOptions _options = options.Value;
    private Outbox _outbox = null!;
    private OutboxReminder _deliveries = null!;
    private CourseState S => state.State;
    private string CourseId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var settings = new OutboxSettings(TickReminder, _options.TickPeriod, _options.DeliveryTimeout);
        _outbox = new Outbox(this, GrainFactory, () => state.State, WriteAsync, settings, logger);
        _deliveries = new OutboxReminder(this, _outbox, settings, () => S.GrowthStale.Count > 0, GrowthDeliveries);
        return _deliveries.ActivateAsync();
    }

    public async Task<CourseResult> CreateAsync(NewCourse course)
    {
        ArgumentNullException.ThrowIfNull(course);
        if (S.Definition is not null)
        {
            return S.RequestFingerprint == course.RequestFingerprint
                ? new CourseResult(CourseOutcome.Answered, View())
                : new CourseResult(CourseOutcome.DifferentRequest, null);
        }
        // The catalogue lists the id first: should the write below fail, it names a course that does not exist, which
        // the list skips; the other order could store a course no list ever shows.
        await GrainFactory.GetGrain<ICourseCatalogGrain>(0).AddAsync(CourseId, course.Definition.StartsAt);
        S.Definition = course.Definition;
        S.SubdistrictId = course.SubdistrictId;
        S.RequestFingerprint = course.RequestFingerprint;
        S.CreatedAt = clock.GetUtcNow();
        await WriteAsync();
        logger.LogInformation("Course {CourseId} published by {CreatedBy}", CourseId, course.CreatedBy);
        return new CourseResult(CourseOutcome.Answered, View());
    }

    public Task<CourseView?> GetAsync() => Task.FromResult(S.Definition is null ? null : View());

    public async Task<EnrolmentResult> EnrolAsync(string riderId)
    {
        if (S.Definition is not { } d)
        {
            return new EnrolmentResult(CourseOutcome.NotFound, null);
        }
        if (!S.Enrolments.TryGetValue(riderId, out var enrolment))
        {
            if (S.Enrolments.Count >= d.Capacity)
            {
                return new EnrolmentResult(CourseOutcome.Full, null);
            }
            // Before the state changes: should registering fail, nothing was changed in memory either.
            await _deliveries.EnsureAsync();
            enrolment = new GrowthCourse(CourseId, d.Title, CourseProgress.Enrolled, clock.GetUtcNow(), null);
            S.Enrolments[riderId] = enrolment;
            S.GrowthStale.Add(riderId);
            await WriteAsync();
        }
        await _deliveries.DeliverAsync();
        return new EnrolmentResult(CourseOutcome.Answered, enrolment);
    }

    public async Task<EnrolmentResult> CompleteAsync(string riderId, CourseOperator by)
    {
        ArgumentNullException.ThrowIfNull(by);
        if (S.Definition is not { } d)
        {
            return new EnrolmentResult(CourseOutcome.NotFound, null);
        }
        if (S.SubdistrictId is { } subdistrict && subdistrict != by.SubdistrictId)
        {
            return new EnrolmentResult(CourseOutcome.WrongSubdistrict, null);
        }
        if (!S.Enrolments.TryGetValue(riderId, out var enrolment))
        {
            return new EnrolmentResult(CourseOutcome.NotEnrolled, null);
        }
        if (enrolment.Status != CourseProgress.Completed)
        {
            await _deliveries.EnsureAsync();
            enrolment = enrolment with { Status = CourseProgress.Completed, CompletedAt = clock.GetUtcNow() };
            S.Enrolments[riderId] = enrolment;
            S.GrowthStale.Add(riderId);
            _outbox.Notify(riderId, new NotificationDraft($"course:{CourseId}:completed:{riderId}", "course_completed", null,
                $"Congratulations: you completed the course \"{d.Title}\". It is in your growth record."));
            await WriteAsync();
            logger.LogInformation("Course {CourseId}: rider {RiderId} completed, marked by {OperatorId}", CourseId, riderId, by.OperatorId);
        }
        await _deliveries.DeliverAsync();
        return new EnrolmentResult(CourseOutcome.Answered, enrolment);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => _deliveries.TickAsync(reminderName);

    /// <summary>Each rider's standing their growth record has not acknowledged.</summary>
    private List<OutboxDelivery> GrowthDeliveries() => [.. S.GrowthStale.Select(riderId => new OutboxDelivery(
        () => GrainFactory.GetGrain<IGrowthGrain>(riderId).RecordCourseAsync(S.Enrolments[riderId]),
        () => S.GrowthStale.Remove(riderId)))];

    private CourseView View()
    {
        var d = S.Definition!;
        return new CourseView(CourseId, d.Title, d.Provider, d.StartsAt, d.Sessions, d.Capacity, S.Enrolments.Count,
            S.Enrolments.Values.Count(e => e.Status == CourseProgress.Completed), S.SubdistrictId);
    }

    private Task WriteAsync() => state.WriteOrDeactivateAsync(this);
}
