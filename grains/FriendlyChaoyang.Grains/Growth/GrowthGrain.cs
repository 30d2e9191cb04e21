using FriendlyChaoyang.Commendations;
using FriendlyChaoyang.Persistence;

namespace FriendlyChaoyang.Growth;

/// <summary>
/// A rider's growth record. Every fact is keyed by the id of the grain that owns it and only ever moves forward
/// (enrolled -> completed, standing -> revoked), so deliveries may repeat or arrive late and out of order.
/// </summary>
public sealed class GrowthGrain(
    [PersistentState("growth", StorageNames.Default)] IPersistentState<GrowthState> state) : Grain, IGrowthGrain
{
    private GrowthState S => state.State;

    public async Task RecordCourseAsync(GrowthCourse course)
    {
        ArgumentNullException.ThrowIfNull(course);
        if (S.Courses.TryGetValue(course.Id, out var known) && (known == course || known.Status > course.Status))
        {
            return;
        }
        S.Courses[course.Id] = course;
        await WriteAsync();
    }

    public async Task RecordAttendanceAsync(string activityId)
    {
        if (S.ActivitiesAttended.Add(activityId))
        {
            await WriteAsync();
        }
    }

    public async Task RecordCommendationAsync(RiderCommendation commendation)
    {
        ArgumentNullException.ThrowIfNull(commendation);
        if (S.Commendations.TryGetValue(commendation.Id, out var known) && (known == commendation || known.RevokedAt is not null))
        {
            return;
        }
        S.Commendations[commendation.Id] = commendation;
        await WriteAsync();
    }

    public Task<GrowthRecord> GetAsync()
    {
        var standing = S.Commendations.Values.Where(c => c.RevokedAt is null).ToList();
        var goodDeeds = standing.Count(c => c.Kind == CommendationKind.GoodDeed);
        return Task.FromResult(new GrowthRecord(
            [.. S.Courses.Values.OrderBy(c => c.EnrolledAt).ThenBy(c => c.Id, StringComparer.Ordinal)],
            S.ActivitiesAttended.Count,
            standing.Count - goodDeeds,
            goodDeeds));
    }

    public Task<IReadOnlyList<RiderCommendation>> ListCommendationsAsync(int page, int pageSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(page);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        IReadOnlyList<RiderCommendation> list = [.. S.Commendations.Values
            .OrderByDescending(c => c.At)
            .ThenBy(c => c.Id, StringComparer.Ordinal)
            .Skip((page - 1) * pageSize)
            .Take(pageSize)];
        return Task.FromResult(list);
    }

    private Task WriteAsync() => state.WriteOrDeactivateAsync(this);
}
