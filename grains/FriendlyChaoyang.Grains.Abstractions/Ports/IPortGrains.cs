namespace FriendlyChaoyang.Ports;

/// <summary>
/// A station's ports, keyed by station id. The station grain implements it: a charging check-in and a port reservation
/// must see the same free ports, so the station stays the single writer of both.
/// </summary>
[Alias("fc.IStationPortsGrain")]
public interface IStationPortsGrain : IGrainWithStringKey
{
    /// <summary>Applies a partner's feed: all of it, or nothing when any report is refused.</summary>
    [Alias("Report")]
    Task<PortFeedResult> ReportAsync(string owner, PortFeedMode mode, IReadOnlyList<PortReport> reports);

    /// <summary>Holds one free port of the kind for the rider (durable before it answers). Called by the rider's reservations grain.</summary>
    [Alias("Reserve")]
    Task<ReservationResult> ReserveAsync(string riderId, PortKind kind);

    /// <returns>The rider's active reservation here, or null.</returns>
    [Alias("GetReservationOf")]
    Task<PortReservation?> GetReservationOfAsync(string riderId);

    /// <returns>False when the rider holds no active reservation with that id here.</returns>
    [Alias("Release")]
    Task<bool> ReleaseReservationAsync(string riderId, string reservationId);
}

/// <summary>
/// One rider's port reservation, keyed by rider id: the rider may hold one at a time, anywhere. Not reentrant, so two
/// concurrent requests of one rider are decided one after the other (as the rider grain does for check-ins).
/// </summary>
[Alias("fc.IRiderReservationsGrain")]
public interface IRiderReservationsGrain : IGrainWithStringKey
{
    [Alias("Reserve")]
    Task<ReservationResult> ReserveAsync(string stationId, PortKind kind);

    [Alias("Release")]
    Task<bool> ReleaseAsync(string stationId, string reservationId);
}

/// <summary>The reservations on one partner's ports (keyed by the partner's platform), as the partner pulls them.</summary>
[Alias("fc.IPartnerReservationsGrain")]
public interface IPartnerReservationsGrain : IGrainWithStringKey
{
    /// <summary>Records new states of reservations (idempotent: an update older than the one stored is ignored).</summary>
    [Alias("Record")]
    Task RecordAsync(IReadOnlyList<PartnerReservation> updates);

    /// <summary>Reservations updated after <paramref name="since"/>, oldest update first.</summary>
    [Alias("List")]
    Task<IReadOnlyList<PartnerReservation>> ListAsync(DateTimeOffset since, int limit);
}
