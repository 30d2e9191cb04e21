namespace FriendlyChaoyang.Ports;

[GenerateSerializer, Alias("fc.PortKind")]
public enum PortKind
{
    Charging = 0,
    Swap = 1,
}

/// <summary>
/// What an operator reports for one port (OCPI EVSE statuses, plus a swap slot's battery). A charging port is free when
/// <see cref="Available"/>; a swap slot when it holds a <see cref="Charged"/> battery.
/// </summary>
[GenerateSerializer, Alias("fc.PortStatus")]
public enum PortStatus
{
    Available = 0,
    Occupied = 1,
    Charged = 2,
    Empty = 3,
    Reserved = 4,
    OutOfOrder = 5,
    Unknown = 6,
}

/// <summary>One port's status as a partner reported it at <paramref name="At"/> (the partner's clock).</summary>
[GenerateSerializer, Immutable, Alias("fc.PortReport")]
public sealed record PortReport(
    [property: Id(0)] string PortId,
    [property: Id(1)] PortKind Kind,
    [property: Id(2)] string? Connector,
    [property: Id(3)] string? Battery,
    [property: Id(4)] PortStatus Status,
    [property: Id(5)] DateTimeOffset At);

/// <summary>A full snapshot registers the partner's ports and drops its ports it no longer lists; a delta updates registered ports only.</summary>
[GenerateSerializer, Alias("fc.PortFeedMode")]
public enum PortFeedMode
{
    Snapshot = 0,
    Delta = 1,
}

[GenerateSerializer, Alias("fc.PortFeedStatus")]
public enum PortFeedStatus
{
    Applied = 0,
    UnknownStation = 1,
    /// <summary>The port is registered by another partner.</summary>
    NotYourPort = 2,
    /// <summary>A delta names a port no snapshot registered.</summary>
    UnknownPort = 3,
    /// <summary>A delta gives a registered port another kind.</summary>
    KindChanged = 4,
    /// <summary>The report's time is further ahead of ours than the allowed clock skew.</summary>
    AtInFuture = 5,
}

/// <param name="Index">The refused report's position in the request (refusals change nothing).</param>
[GenerateSerializer, Immutable, Alias("fc.PortFeedResult")]
public sealed record PortFeedResult(
    [property: Id(0)] PortFeedStatus Status,
    [property: Id(1)] int Accepted,
    [property: Id(2)] int Ignored,
    [property: Id(3)] int Index = -1);

/// <summary>A rider's hold on one port: not offered to anyone else until <paramref name="ExpiresAt"/> or its release.</summary>
[GenerateSerializer, Immutable, Alias("fc.PortReservation")]
public sealed record PortReservation(
    [property: Id(0)] string Id,
    [property: Id(1)] string StationId,
    [property: Id(2)] string PortId,
    [property: Id(3)] PortKind Kind,
    [property: Id(4)] string RiderId,
    [property: Id(5)] string Owner,
    [property: Id(6)] DateTimeOffset ReservedAt,
    [property: Id(7)] DateTimeOffset ExpiresAt);

[GenerateSerializer, Alias("fc.ReservationStatus")]
public enum ReservationStatus
{
    Reserved = 0,
    NoneFree = 1,
    /// <summary>The rider already holds a reservation (here or at another station).</summary>
    AlreadyHolding = 2,
    UnknownStation = 3,
}

[GenerateSerializer, Immutable, Alias("fc.ReservationResult")]
public sealed record ReservationResult(
    [property: Id(0)] ReservationStatus Status,
    [property: Id(1)] PortReservation? Reservation,
    [property: Id(2)] IReadOnlyList<Stations.NearbyStation> Alternatives);

/// <summary>How a reservation ended, or that it still holds, as its port's owner sees it.</summary>
[GenerateSerializer, Alias("fc.PartnerReservationStatus")]
public enum PartnerReservationStatus
{
    Held = 0,
    Released = 1,
    Expired = 2,
    /// <summary>The rider checked in to charge on the reserved port's station.</summary>
    Used = 3,
    /// <summary>The partner's snapshot dropped the reserved port.</summary>
    Cancelled = 4,
}

/// <summary>A reservation on a partner's port as the partner pulls it: no rider identity, only what the cabinet or charger must hold.</summary>
[GenerateSerializer, Immutable, Alias("fc.PartnerReservation")]
public sealed record PartnerReservation(
    [property: Id(0)] string Id,
    [property: Id(1)] string StationId,
    [property: Id(2)] string PortId,
    [property: Id(3)] PortKind Kind,
    [property: Id(4)] PartnerReservationStatus Status,
    [property: Id(5)] DateTimeOffset ReservedAt,
    [property: Id(6)] DateTimeOffset ExpiresAt,
    [property: Id(7)] DateTimeOffset UpdatedAt);

public static class PortLimits
{
    public const int MaxPortsPerRequest = 2000;
    public const int MaxPartnerReservationsPerPage = 1000;
}
