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
        if (!IssueStatuses.IsOpen(issue.Status))
        {
            if (state.State.Open.Remove(issue.Id))
            {
                await state.WriteOrDeactivateAsync(this);
            }
            return;
        }
        if (!state.State.Open.TryGetValue(issue.Id, out var current) || current != issue)
        {
            state.State.Open[issue.Id] = issue;
            await state.WriteOrDeactivateAsync(this);
        }
    }

    public Task<IReadOnlyList<OverdueIssue>> ListAsync() => Task.FromResult<IReadOnlyList<OverdueIssue>>([.. state.State.Open.Values
        .OrderBy(i => i.DueResolveAt)
        .ThenBy(i => i.Id, StringComparer.Ordinal)]);
}
