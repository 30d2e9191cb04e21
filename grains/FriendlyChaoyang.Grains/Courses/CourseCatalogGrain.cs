using FriendlyChaoyang.Persistence;

namespace FriendlyChaoyang.Courses;

/// <summary>
/// The list of courses: ids by start. A page asks only its own courses for their live counts. Courses are published by a
/// handful of operators, so one grain holds them all.
/// </summary>
public sealed class CourseCatalogGrain(
    [PersistentState("course-catalog", StorageNames.Default)] IPersistentState<CourseCatalogState> state) : Grain, ICourseCatalogGrain
{
    public async Task AddAsync(string courseId, DateTimeOffset startsAt)
    {
        if (state.State.Starts.TryAdd(courseId, startsAt))
        {
            await state.WriteOrDeactivateAsync(this);
        }
    }

    public async Task<IReadOnlyList<CourseView>> ListAsync(int page, int pageSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(page);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        var ids = state.State.Starts
            .OrderBy(c => c.Value)
            .ThenBy(c => c.Key, StringComparer.Ordinal)
            .Skip((page - 1) * pageSize)
            .Take(pageSize)
            .Select(c => c.Key);
        var views = await Task.WhenAll(ids.Select(id => GrainFactory.GetGrain<ICourseGrain>(id).GetAsync()));
        return [.. views.OfType<CourseView>()];
    }
}
