using FriendlyChaoyang.Notifications;
using FriendlyChaoyang.Points;
using Microsoft.Extensions.Logging;

namespace FriendlyChaoyang.Persistence;

/// <summary>The part of a grain's persistent state that holds its outbox, so pending effects are stored with their cause.</summary>
public interface IOutboxState
{
    List<PendingAward> PendingAwards { get; }

    List<PendingNotification> PendingNotifications { get; }
}

[GenerateSerializer, Immutable, Alias("fc.PendingAward")]
public sealed record PendingAward([property: Id(0)] string RiderId, [property: Id(1)] LedgerCredit Credit);

[GenerateSerializer, Immutable, Alias("fc.PendingNotification")]
public sealed record PendingNotification([property: Id(0)] string RiderId, [property: Id(1)] NotificationDraft Draft);

/// <summary>An owner-specific effect sent along with the outbox (e.g. an issue's queue entry) and marked done once acknowledged.</summary>
public sealed record OutboxDelivery(Func<Task> SendAsync, Action Acknowledged);

/// <param name="ReminderName">The owner's reminder whose ticks call <see cref="Outbox.DeliverAsync"/> again.</param>
/// <param name="RetryPeriod">That reminder's period.</param>
/// <param name="DeliveryTimeout">How long one delivery may take before it is left for the next tick.</param>
public sealed record OutboxSettings(string ReminderName, TimeSpan RetryPeriod, TimeSpan DeliveryTimeout);

/// <summary>
/// Exactly-once effects on other grains (points, notifications), the one way a feature pays points. The owner records
/// an effect in its state (<see cref="Award"/>, <see cref="Notify"/>) and writes it with the change that caused it;
/// <see cref="DeliverAsync"/> sends everything pending, forgets what was acknowledged, and keeps the owner's reminder
/// registered while anything is left, so its ticks retry. Every item carries an id derived from its cause and the
/// receivers ignore ids they have seen, so a crash, a lost acknowledgement or a retry neither loses nor doubles anything.
/// For a grain that is not reentrant (its state must not change while deliveries are in flight).
/// </summary>
public sealed class Outbox(Grain owner, IGrainFactory grains, Func<IOutboxState> state, Func<Task> writeAsync, OutboxSettings settings, ILogger logger)
{
    public bool HasPending => state().PendingAwards.Count > 0 || state().PendingNotifications.Count > 0;

    public void Award(string riderId, LedgerCredit credit) => state().PendingAwards.Add(new PendingAward(riderId, credit));

    public void Notify(string riderId, NotificationDraft draft) => state().PendingNotifications.Add(new PendingNotification(riderId, draft));

    /// <summary>
    /// Delivers every pending item and <paramref name="extra"/> in parallel. Never throws for a failed delivery or a
    /// failed write of the acknowledgements: an item not recorded as delivered is simply delivered again.
    /// </summary>
    public async Task DeliverAsync(params IReadOnlyList<OutboxDelivery> extra)
    {
        var box = state();
        List<OutboxDelivery> deliveries =
        [
            .. box.PendingAwards.Select(a => new OutboxDelivery(
                () => grains.GetGrain<IPointsLedgerGrain>(a.RiderId).CreditAsync(a.Credit), () => box.PendingAwards.Remove(a))),
            .. box.PendingNotifications.Select(n => new OutboxDelivery(
                () => grains.GetGrain<INotificationsGrain>(n.RiderId).AddAsync(n.Draft), () => box.PendingNotifications.Remove(n))),
            .. extra,
        ];
        if (deliveries.Count == 0)
        {
            return;
        }
        var acknowledged = await Task.WhenAll(deliveries.Select(AttemptAsync));
        for (var i = 0; i < deliveries.Count; i++)
        {
            if (acknowledged[i])
            {
                deliveries[i].Acknowledged();
            }
        }
        try
        {
            if (acknowledged.Contains(true))
            {
                await writeAsync();
            }
            if (acknowledged.Contains(false))
            {
                await owner.RegisterOrUpdateReminder(settings.ReminderName, settings.RetryPeriod, settings.RetryPeriod);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "{Owner} could not record its deliveries; they are sent again", owner.GetGrainId());
        }
    }

    private async Task<bool> AttemptAsync(OutboxDelivery delivery)
    {
        try
        {
            await delivery.SendAsync().WaitAsync(settings.DeliveryTimeout);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "{Owner}: a delivery failed; the reminder retries it", owner.GetGrainId());
            return false;
        }
    }
}
