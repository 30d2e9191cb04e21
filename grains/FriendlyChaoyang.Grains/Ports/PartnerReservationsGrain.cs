using FriendlyChaoyang.Persistence;
using Microsoft.Extensions.Options;

namespace FriendlyChaoyang.Ports;

[GenerateSerializer, Alias("fc.PartnerReservationsState")]
public sealed class PartnerReservationsState
{
    /// <summary>The latest state of each reservation on the partner's ports, by reservation id.</summary>
    [Id(0)] public Dictionary<string, PartnerReservation> Reservations { get; set; } = [];
}

/// <summary>
/// The reservations on one partner's ports, fed by the stations' outboxes (so a station may deliver an update twice or
/// late: the newer update wins) and pulled by the partner with <c>since</c>. Entries older than
/// <see cref="PortOptions.PartnerHistory"/> are dropped.
/// </summary>
public sealed class PartnerReservationsGrain(
    [PersistentState("partnerReservations", StorageNames.Default)] IPersistentState<PartnerReservationsState> state,
    IOptions<PortOptions> options,
    TimeProvider clock) : Grain, IPartnerReservationsGrain
{
    public async Task RecordAsync(IReadOnlyList<PartnerReservation> updates)
    {
        ArgumentNullException.ThrowIfNull(updates);
        var changed = false;
        foreach (var update in updates)
        {
            if (!state.State.Reservations.TryGetValue(update.Id, out var stored) || IsNewer(update, stored))
            {
                state.State.Reservations[update.Id] = update;
                changed = true;
            }
        }
        var horizon = clock.GetUtcNow() - options.Value.PartnerHistory;
        foreach (var old in state.State.Reservations.Values.Where(r => r.UpdatedAt < horizon).ToList())
        {
            state.State.Reservations.Remove(old.Id);
            changed = true;
        }
        if (changed)
        {
            await state.WriteOrDeactivateAsync(this);
        }
    }

    public Task<IReadOnlyList<PartnerReservation>> ListAsync(DateTimeOffset since, int limit)
    {
        IReadOnlyList<PartnerReservation> found = [.. state.State.Reservations.Values
            .Where(r => r.UpdatedAt > since)
            .OrderBy(r => r.UpdatedAt)
            .ThenBy(r => r.Id, StringComparer.Ordinal)
            .Take(limit)];
        return Task.FromResult(found);
    }

    /// <summary>A later update wins; at the same instant an ended reservation beats a held one (it cannot be held again).</summary>
    private static bool IsNewer(PartnerReservation update, PartnerReservation stored) =>
        update.UpdatedAt > stored.UpdatedAt || (update.UpdatedAt == stored.UpdatedAt && stored.Status == PartnerReservationStatus.Held && update.Status != PartnerReservationStatus.Held);
}
