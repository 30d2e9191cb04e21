namespace FriendlyChaoyang.Ports;

/// <summary>One port as its owner last reported it.</summary>
/// <param name="Owner">The partner platform that registered it; only it may report the port.</param>
[GenerateSerializer, Immutable, Alias("fc.PortState")]
public sealed record PortState(
    [property: Id(0)] string Owner,
    [property: Id(1)] PortKind Kind,
    [property: Id(2)] string? Connector,
    [property: Id(3)] string? Battery,
    [property: Id(4)] PortStatus Status,
    [property: Id(5)] DateTimeOffset At);

/// <summary>A reservation change not yet acknowledged by the owner's <see cref="IPartnerReservationsGrain"/> (an outbox entry).</summary>
[GenerateSerializer, Immutable, Alias("fc.PendingPartnerUpdate")]
public sealed record PendingPartnerUpdate([property: Id(0)] string Owner, [property: Id(1)] PartnerReservation Update);

/// <summary>
/// A station's ports, stored apart from the station's own state: statuses are a snapshot written at a bounded rate,
/// reservations are written before they are acknowledged.
/// </summary>
[GenerateSerializer, Alias("fc.StationPortsState")]
public sealed class StationPortsState
{
    [Id(0)] public Dictionary<string, PortState> Ports { get; set; } = [];

    /// <summary>Reservations that may still hold, by reservation id.</summary>
    [Id(1)] public Dictionary<string, PortReservation> Reservations { get; set; } = [];

    [Id(2)] public List<PendingPartnerUpdate> PendingUpdates { get; set; } = [];
}
