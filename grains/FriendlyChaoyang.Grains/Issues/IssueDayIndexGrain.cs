using FriendlyChaoyang.Persistence;

namespace FriendlyChaoyang.Issues;

/// <summary>
/// One day's issues. Fed by the issues' outboxes (an update is repeated until acknowledged, so a crash loses none), read
/// by Open311's GET requests, which asks the days of its range (at most 91) instead of every issue. Each status change
/// rewrites the day's row, so a day is the unit: small enough to write often, few enough to read a range in parallel.
/// </summary>
public sealed class IssueDayIndexGrain(
    [PersistentState("issue-day", StorageNames.Default)] IPersistentState<IssueDayIndexState> state) : Grain, IIssueDayIndexGrain
{
    public async Task UpdateAsync(IndexedIssue issue)
    {
        ArgumentNullException.ThrowIfNull(issue);
        if (!state.State.Issues.TryGetValue(issue.Id, out var current) || current != issue)
        {
            state.State.Issues[issue.Id] = issue;
            await state.WriteOrDeactivateAsync(this);
        }
    }

    public Task<IReadOnlyList<IndexedIssue>> ListAsync() =>
        Task.FromResult<IReadOnlyList<IndexedIssue>>([.. state.State.Issues.Values]);
}
