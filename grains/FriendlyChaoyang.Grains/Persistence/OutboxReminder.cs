namespace FriendlyChaoyang.Persistence;

/// <summary>
/// Drives the retries of a non-reentrant grain whose effects all go through its <see cref="Outbox"/>, including its own
/// entries in other grains (<paramref name="ownDeliveries"/>: a growth record, a list, a feed). One reminder, registered
/// at most once per activation and before the effects are written, retries them until everything is acknowledged and is
/// then dropped.
/// </summary>
/// <param name="ownPending">Whether any of the owner's own entries is unacknowledged.</param>
public sealed class OutboxReminder(Grain owner, Outbox outbox, OutboxSettings settings, Func<bool> ownPending, Func<IReadOnlyList<OutboxDelivery>> ownDeliveries)
{
    private readonly ActivationReminder _reminder = new(owner, settings.ReminderName, settings.RetryPeriod);

    public bool HasPending => outbox.HasPending || ownPending();

    /// <summary>From OnActivateAsync: a crashed activation may have left effects stored but undelivered.</summary>
    public Task ActivateAsync() => HasPending ? _reminder.EnsureAsync() : Task.CompletedTask;

    /// <summary>
    /// Before changing the state to record effects: should the activation die after the write, the reminder delivers them;
    /// should registering fail, the state is still as stored.
    /// </summary>
    public Task EnsureAsync() => _reminder.EnsureAsync();

    public Task DeliverAsync() => outbox.DeliverAsync(ownDeliveries());

    /// <summary>From ReceiveReminder: delivers what is pending, and drops the reminder once nothing is.</summary>
    public async Task TickAsync(string reminderName)
    {
        if (reminderName != settings.ReminderName)
        {
            return;
        }
        await DeliverAsync();
        await _reminder.UnregisterWhenIdleAsync(() => !HasPending);
    }
}
