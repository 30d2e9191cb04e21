using FriendlyChaoyang.Persistence;

namespace FriendlyChaoyang.Notifications;

/// <summary>
/// A rider's notifications. Adds run one at a time; <see cref="WaitAsync"/> interleaves with them (long polls park
/// here and are woken once an added notification is durable), which is what the API's SSE stream is fed by.
/// </summary>
public sealed class NotificationsGrain(
    [PersistentState("notifications", StorageNames.Default)] IPersistentState<NotificationsState> state,
    TimeProvider clock) : Grain, INotificationsGrain
{
    public const int MaxStored = 200;
    public const int MaxRememberedCauses = 1000;
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _durableId;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _durableId = state.State.LastId;
        return Task.CompletedTask;
    }

    public async Task AddAsync(NotificationDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var s = state.State;
        if (s.RecentCauses.Contains(draft.CauseId))
        {
            return;
        }
        s.LastId++;
        s.Items.Add(new Notification(s.LastId, clock.GetUtcNow(), draft.Kind, draft.IssueId, draft.Text));
        s.RecentCauses.Add(draft.CauseId);
        if (s.Items.Count > MaxStored)
        {
            s.Items.RemoveRange(0, s.Items.Count - MaxStored);
        }
        if (s.RecentCauses.Count > MaxRememberedCauses)
        {
            s.RecentCauses.RemoveRange(0, s.RecentCauses.Count - MaxRememberedCauses);
        }
        await state.WriteOrDeactivateAsync(this);
        _durableId = s.LastId;
        var arrived = _arrived;
        _arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        arrived.TrySetResult();
    }

    public Task<IReadOnlyList<Notification>> ListAsync(long afterId) => Task.FromResult(After(afterId));

    public async Task<IReadOnlyList<Notification>> WaitAsync(long afterId, TimeSpan timeout)
    {
        var found = After(afterId);
        if (found.Count > 0 || timeout <= TimeSpan.Zero)
        {
            return found;
        }
        await Task.WhenAny(_arrived.Task, Task.Delay(timeout < MaxWait ? timeout : MaxWait));
        return After(afterId);
    }

    /// <summary>Only what is durable: an add in flight has not signalled yet, and its item may still be rolled back.</summary>
    private IReadOnlyList<Notification> After(long afterId) => [.. state.State.Items.Where(n => n.Id > afterId && n.Id <= _durableId)];
}
