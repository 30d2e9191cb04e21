using FriendlyChaoyang.Persistence;
using FriendlyChaoyang.Ports;
using Microsoft.Extensions.Logging;

namespace FriendlyChaoyang.Stations;

/// <summary>
/// The station's ports as their operators report them (Ports/PortBoard.cs holds the rules). Statuses are soft state:
/// absorbed in memory, written as a snapshot at most every <see cref="PortOptions.SnapshotPeriod"/> by a timer.
/// Reservations are acknowledged writes: stored before the rider hears of them, released by the timer on time and by a
/// reminder after a silo death, and passed to the port's owner through an outbox.
/// </summary>
public sealed partial class StationGrain : IStationPortsGrain
{
    private const string PortsReminder = "port-reservations";
    private PortBoard _ports = null!;
    private GroupCommit _portsCommit = null!;
    private ActivationReminder _portsReminder = null!;
    private IGrainTimer? _portsTimer;
    private bool _portsDirty;
    private DateTimeOffset _portsWrittenAt;
    private (Capacity Charging, Capacity Swap)? _publishedPorts;

    public async Task<PortFeedResult> ReportAsync(string owner, PortFeedMode mode, IReadOnlyList<PortReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        if (state.State.Definition is null)
        {
            return new PortFeedResult(PortFeedStatus.UnknownStation, 0, 0);
        }
        if (_ports.Refusal(owner, mode, reports) is { } refusal)
        {
            return refusal;
        }
        var (accepted, ignored, cancelled) = _ports.Apply(owner, mode, reports);
        _portsDirty |= accepted > 0 || cancelled.Count > 0;
        EnsurePortsTimer();
        if (cancelled.Count > 0)
        {
            await EndReservationsAsync(cancelled, PartnerReservationStatus.Cancelled);
        }
        PublishPortsIfChanged();
        return new PortFeedResult(PortFeedStatus.Applied, accepted, ignored);
    }

    public async Task<ReservationResult> ReserveAsync(string riderId, PortKind kind)
    {
        if (state.State.Definition is null)
        {
            return new ReservationResult(ReservationStatus.UnknownStation, null, []);
        }
        if (_ports.ReservationOf(riderId) is { } held)
        {
            await _portsCommit.WhenDurableAsync();
            return new ReservationResult(ReservationStatus.AlreadyHolding, held, []);
        }
        // A charging port must also be free of charging check-ins (see ChargingCapacity).
        var reservation = kind == PortKind.Charging && ChargingCapacity().Free <= 0 ? null : _ports.Reserve(StationId, riderId, kind);
        if (reservation is null)
        {
            var need = kind == PortKind.Charging ? StationNeed.Charging : StationNeed.Swap;
            return new ReservationResult(ReservationStatus.NoneFree, null, await AlternativesAsync(need));
        }
        _portsCommit.MarkChanged();
        _portsState.State.PendingUpdates.Add(new PendingPartnerUpdate(reservation.Owner, ToPartner(reservation, PartnerReservationStatus.Held, reservation.ReservedAt)));
        await _portsCommit.WhenDurableAsync();
        await _portsReminder.EnsureAsync();
        EnsurePortsTimer();
        PublishPortsIfChanged();
        DeliverPartnerUpdatesAsync().Ignore();
        return new ReservationResult(ReservationStatus.Reserved, reservation, []);
    }

    public async Task<PortReservation?> GetReservationOfAsync(string riderId)
    {
        await _portsCommit.WhenDurableAsync();
        return _ports.ReservationOf(riderId);
    }

    public async Task<bool> ReleaseReservationAsync(string riderId, string reservationId)
    {
        if (_ports.End(riderId, reservationId) is not { } ended)
        {
            return false;
        }
        await EndReservationsAsync([ended], PartnerReservationStatus.Released);
        return true;
    }

    /// <summary>
    /// Charging ports from the feed when operators report them, else the seeded count less charging check-ins. A rider
    /// who checked in to charge takes a port the feed may not show as occupied yet: charging check-ins beyond the feed's
    /// occupied ports are taken off its free ones. Once the rider's plug shows up as occupied it is not counted twice.
    /// </summary>
    private Capacity ChargingCapacity()
    {
        var definition = state.State.Definition!;
        if (_ports.Tally(PortKind.Charging) is { } fed)
        {
            var notYetInFeed = Math.Max(0, _chargingInUse - fed.Occupied);
            return new Capacity(fed.Total, Math.Max(0, fed.Free - notYetInFeed)) { FreshAt = fed.FreshAt };
        }
        return new Capacity(definition.ChargingPorts, Math.Max(0, definition.ChargingPorts - _chargingInUse));
    }

    /// <summary>Swap slots are known only from the feed: without one, none counts as free.</summary>
    private Capacity SwapCapacity() => _ports.Count(PortKind.Swap) ?? new Capacity(state.State.Definition!.SwapPorts, 0);

    /// <summary>A rider holding a charging reservation here may check in to charge even when no other port is free.</summary>
    private bool MayCharge(string riderId) =>
        ChargingCapacity().Free > 0 || _ports.ReservationOf(riderId) is { Kind: PortKind.Charging };

    /// <summary>A charging check-in takes over the rider's charging reservation here, if any.</summary>
    private async Task UseChargingReservationAsync(string riderId)
    {
        if (_ports.ReservationOf(riderId) is { Kind: PortKind.Charging } reservation && _ports.End(riderId, reservation.Id) is { } ended)
        {
            await EndReservationsAsync([ended], PartnerReservationStatus.Used);
        }
    }

    private async Task ActivatePortsAsync()
    {
        _ports = new PortBoard(() => _portsState.State, _portOptions, clock);
        _portsCommit = new GroupCommit(WritePortsAsync);
        _portsReminder = new ActivationReminder(this, PortsReminder, _portOptions.ReservationSweepPeriod);
        _portsWrittenAt = clock.GetUtcNow();
        EnsurePortsTimer();
        if (_ports.HasReservations || _portsState.State.PendingUpdates.Count > 0)
        {
            await _portsReminder.EnsureAsync();
        }
    }

    /// <summary>Keeps the last reports of a station that is shut down gracefully (a killed silo loses at most one snapshot period).</summary>
    private async Task DeactivatePortsAsync()
    {
        if (_portsDirty)
        {
            _portsDirty = false;
            _portsCommit.MarkChanged();
            await _portsCommit.WhenDurableAsync();
        }
    }

    private void EnsurePortsTimer()
    {
        if (_portsTimer is null && (_ports.HasPorts || _ports.HasReservations))
        {
            // KeepAlive: a station with ports must stay active to notice its ports going stale and to refresh the index.
            _portsTimer = this.RegisterGrainTimer(RefreshPortsAsync, new GrainTimerCreationOptions
            {
                DueTime = _portOptions.RefreshPeriod,
                Period = _portOptions.RefreshPeriod,
                Interleave = true,
                KeepAlive = true,
            });
        }
    }

    private async Task RefreshPortsAsync(CancellationToken cancellationToken)
    {
        await ExpireReservationsAsync();
        if (_portsDirty && clock.GetUtcNow() - _portsWrittenAt >= _portOptions.SnapshotPeriod)
        {
            _portsDirty = false;
            _portsCommit.MarkChanged();
            await _portsCommit.WhenDurableAsync();
        }
        await DeliverPartnerUpdatesAsync();
        PublishPortsIfChanged();
    }

    private async Task OnPortsReminderAsync()
    {
        await ExpireReservationsAsync();
        await DeliverPartnerUpdatesAsync();
        await _portsReminder.UnregisterWhenIdleAsync(() => !_ports.HasReservations && _portsState.State.PendingUpdates.Count == 0);
    }

    private async Task ExpireReservationsAsync()
    {
        if (_ports.Expire() is { Count: > 0 } expired)
        {
            await EndReservationsAsync(expired, PartnerReservationStatus.Expired);
        }
    }

    /// <summary>Stores the end of reservations already removed from the board, tells their owners, and refreshes the index.</summary>
    private async Task EndReservationsAsync(IReadOnlyList<PortReservation> ended, PartnerReservationStatus how)
    {
        var now = clock.GetUtcNow();
        _portsCommit.MarkChanged();
        _portsState.State.PendingUpdates.AddRange(ended.Select(r => new PendingPartnerUpdate(r.Owner, ToPartner(r, how, now))));
        await _portsCommit.WhenDurableAsync();
        await _portsReminder.EnsureAsync();
        PublishPortsIfChanged();
        DeliverPartnerUpdatesAsync().Ignore();
    }

    /// <summary>Sends the outbox to the owners' reservation logs; what is acknowledged leaves with the next write, the rest is retried by the timer or reminder.</summary>
    private async Task DeliverPartnerUpdatesAsync()
    {
        var pending = _portsState.State.PendingUpdates.ToList();
        foreach (var group in pending.GroupBy(p => p.Owner))
        {
            try
            {
                await GrainFactory.GetGrain<IPartnerReservationsGrain>(group.Key).RecordAsync([.. group.Select(p => p.Update)]);
                foreach (var delivered in group)
                {
                    _portsState.State.PendingUpdates.Remove(delivered);
                }
                _portsDirty = true;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Station {StationId} could not pass reservations to partner {Owner}; retried later", StationId, group.Key);
            }
        }
    }

    private async Task WritePortsAsync()
    {
        await _portsState.WriteOrDeactivateAsync(this);
        _portsWrittenAt = clock.GetUtcNow();
    }

    private void PublishPortsIfChanged()
    {
        if (state.State.Definition is null)
        {
            return;
        }
        var current = (ChargingCapacity(), SwapCapacity());
        if (_publishedPorts != current)
        {
            _publishedPorts = current;
            PublishToGeoIndex(portsChanged: true);
        }
    }

    private static PartnerReservation ToPartner(PortReservation r, PartnerReservationStatus status, DateTimeOffset at) =>
        new(r.Id, r.StationId, r.PortId, r.Kind, status, r.ReservedAt, r.ExpiresAt, at);
}
