using FriendlyChaoyang.Persistence;

namespace FriendlyChaoyang.Issues;

/// <summary>
/// The admin's district-wide overdue queue. Fed only by the issues' outboxes (an update is repeated until acknowledged),
/// and it holds only issues past their resolve target, which stay few: one grain is enough.
/// </summary>
public sealed class OverdueIssuesGrain(
    [PersistentState("overdue-issues", StorageNames.Default)] IPersistentState<OverdueIssuesState> state) : Grain, IOverdueIssuesGrain
{
    public async Task UpdateAsync(OverdueIssue issue)
    {
        ArgumentNullException.ThrowIfNull(issue);
        if (state.State.Open.Track(issue.Id, issue.Status, issue))
        {
            await state.WriteOrDeactivateAsync(this);
        }
    }

    public Task<IReadOnlyList<OverdueIssue>> ListAsync() => Task.FromResult<IReadOnlyList<OverdueIssue>>([.. state.State.Open.Values
        .OrderBy(i => i.DueResolveAt)
        .ThenBy(i => i.Id, StringComparer.Ordinal)]);
}
