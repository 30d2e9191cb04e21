using FriendlyChaoyang.Stations;

namespace FriendlyChaoyang.Ports;

/// <summary>
/// The rules of one station's ports, on the station grain's state: per-port ordering by the partner's timestamp,
/// ownership, staleness, and which port a reservation holds. Plain and synchronous: the station grain calls it between
/// awaits, so a decision and its change are one step. Ports reloaded from a stored snapshot count as unknown until their
/// operator reports them again: the snapshot may be minutes old.
/// </summary>
public sealed class PortBoard(Func<StationPortsState> state, PortOptions options, TimeProvider clock)
{
    private readonly HashSet<string> _heardSinceActivation = new(StringComparer.Ordinal);

    // Every snapshot of the station counts its ports (a lunch station with hundreds of them, on every check-in), but the
    // count changes only with a report, a reservation, or the clock passing a port's staleness or a reservation's expiry:
    // so it is kept until the first of those.
    private readonly Dictionary<PortKind, (PortTally? Tally, DateTimeOffset ValidUntil)> _tallies = [];

    private StationPortsState State => state();

    public bool HasPorts => State.Ports.Count > 0;

    public bool HasReservations => State.Reservations.Count > 0;

    /// <returns>The refusal for the first report that cannot be applied, or null when all of them can.</returns>
    public PortFeedResult? Refusal(string owner, PortFeedMode mode, IReadOnlyList<PortReport> reports)
    {
        var latestAllowed = clock.GetUtcNow() + options.MaxClockSkew;
        for (var i = 0; i < reports.Count; i++)
        {
            var report = reports[i];
            var known = State.Ports.TryGetValue(report.PortId, out var port);
            var refusal =
                known && port!.Owner != owner ? PortFeedStatus.NotYourPort
                : mode == PortFeedMode.Delta && !known ? PortFeedStatus.UnknownPort
                : mode == PortFeedMode.Delta && port!.Kind != report.Kind ? PortFeedStatus.KindChanged
                : report.At > latestAllowed ? PortFeedStatus.AtInFuture
                : (PortFeedStatus?)null;
            if (refusal is { } status)
            {
                return new PortFeedResult(status, 0, 0, i);
            }
        }
        return null;
    }

    /// <summary>
    /// Applies reports that passed <see cref="Refusal"/>. A report not newer than the stored one is ignored (it still
    /// confirms the stored status is current). A snapshot also drops the owner's ports it does not list, unless they
    /// were reported after the snapshot's newest report; reservations on dropped ports end as cancelled.
    /// </summary>
    public (int Accepted, int Ignored, IReadOnlyList<PortReservation> Cancelled) Apply(string owner, PortFeedMode mode, IReadOnlyList<PortReport> reports)
    {
        _tallies.Clear();
        var (accepted, ignored) = (0, 0);
        foreach (var report in reports)
        {
            if (State.Ports.TryGetValue(report.PortId, out var port) && report.At <= port.At)
            {
                ignored++;
                if (report.At == port.At)
                {
                    _heardSinceActivation.Add(report.PortId);
                }
                continue;
            }
            State.Ports[report.PortId] = new PortState(owner, report.Kind, report.Connector, report.Battery, report.Status, report.At);
            _heardSinceActivation.Add(report.PortId);
            accepted++;
        }
        if (mode == PortFeedMode.Delta || reports.Count == 0)
        {
            return (accepted, ignored, []);
        }
        var listed = reports.Select(r => r.PortId).ToHashSet(StringComparer.Ordinal);
        var newest = reports.Max(r => r.At);
        var dropped = State.Ports.Where(p => p.Value.Owner == owner && p.Value.At < newest && !listed.Contains(p.Key)).Select(p => p.Key).ToList();
        foreach (var portId in dropped)
        {
            State.Ports.Remove(portId);
            _heardSinceActivation.Remove(portId);
        }
        var dropSet = dropped.ToHashSet(StringComparer.Ordinal);
        List<PortReservation> cancelled = [.. State.Reservations.Values.Where(r => dropSet.Contains(r.PortId))];
        cancelled.ForEach(r => State.Reservations.Remove(r.Id));
        return (accepted, ignored, cancelled);
    }

    /// <summary>The ports of a kind: all in the total; free only when known (heard recently) and unreserved. Null when no port of the kind is registered.</summary>
    public Capacity? Count(PortKind kind) => Tally(kind) is { } tally ? new Capacity(tally.Total, tally.Free) { FreshAt = tally.FreshAt } : null;

    /// <summary><see cref="Count"/>, plus how many known ports report <see cref="PortStatus.Occupied"/>.</summary>
    public PortTally? Tally(PortKind kind)
    {
        var now = clock.GetUtcNow();
        if (_tallies.TryGetValue(kind, out var kept) && now < kept.ValidUntil)
        {
            return kept.Tally;
        }
        // Valid until the first active reservation expires or the first known port goes stale.
        var validUntil = DateTimeOffset.MaxValue;
        var reserved = new HashSet<string>(StringComparer.Ordinal);
        foreach (var reservation in ActiveReservations(now))
        {
            reserved.Add(reservation.PortId);
            validUntil = Earliest(validUntil, reservation.ExpiresAt);
        }
        var (total, free, occupied) = (0, 0, 0);
        DateTimeOffset? freshAt = null;
        foreach (var (portId, port) in State.Ports)
        {
            if (port.Kind != kind)
            {
                continue;
            }
            total++;
            if (!IsKnown(portId, port, now))
            {
                continue;
            }
            validUntil = Earliest(validUntil, port.At + options.StaleAfter);
            freshAt = freshAt is { } f && f <= port.At ? f : port.At;
            occupied += port.Status == PortStatus.Occupied ? 1 : 0;
            if (IsFree(port) && !reserved.Contains(portId))
            {
                free++;
            }
        }
        var tally = total == 0 ? null : new PortTally(total, free, occupied, freshAt);
        _tallies[kind] = (tally, validUntil);
        return tally;
    }

    private static DateTimeOffset Earliest(DateTimeOffset a, DateTimeOffset b) => a <= b ? a : b;

    public PortReservation? ReservationOf(string riderId) =>
        ActiveReservations(clock.GetUtcNow()).FirstOrDefault(r => r.RiderId == riderId);

    /// <summary>Holds a known free port of the kind for the rider; null when there is none.</summary>
    public PortReservation? Reserve(string stationId, string riderId, PortKind kind)
    {
        var now = clock.GetUtcNow();
        var reserved = ActiveReservations(now).Select(r => r.PortId).ToHashSet(StringComparer.Ordinal);
        var (portId, port) = State.Ports
            .Where(p => p.Value.Kind == kind && IsKnown(p.Key, p.Value, now) && IsFree(p.Value) && !reserved.Contains(p.Key))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .FirstOrDefault();
        if (portId is null)
        {
            return null;
        }
        var reservation = new PortReservation($"pr-{Guid.NewGuid():N}", stationId, portId, kind, riderId, port!.Owner, now, now + options.ReservationTtl);
        State.Reservations[reservation.Id] = reservation;
        _tallies.Clear();
        return reservation;
    }

    /// <returns>The reservation ended, or null when the rider holds no active one with that id.</returns>
    public PortReservation? End(string riderId, string reservationId)
    {
        if (!State.Reservations.TryGetValue(reservationId, out var reservation) || reservation.RiderId != riderId
            || reservation.ExpiresAt <= clock.GetUtcNow())
        {
            return null;
        }
        State.Reservations.Remove(reservationId);
        _tallies.Clear();
        return reservation;
    }

    /// <summary>Removes the reservations whose time is up.</summary>
    public IReadOnlyList<PortReservation> Expire()
    {
        var now = clock.GetUtcNow();
        List<PortReservation> expired = [.. State.Reservations.Values.Where(r => r.ExpiresAt <= now)];
        expired.ForEach(r => State.Reservations.Remove(r.Id));
        _tallies.Clear();
        return expired;
    }

    private IEnumerable<PortReservation> ActiveReservations(DateTimeOffset now) => State.Reservations.Values.Where(r => r.ExpiresAt > now);

    private bool IsKnown(string portId, PortState port, DateTimeOffset now) =>
        _heardSinceActivation.Contains(portId) && port.Status != PortStatus.Unknown && now - port.At <= options.StaleAfter;

    private static bool IsFree(PortState port) => port.Status == (port.Kind == PortKind.Charging ? PortStatus.Available : PortStatus.Charged);
}

public sealed record PortTally(int Total, int Free, int Occupied, DateTimeOffset? FreshAt);
