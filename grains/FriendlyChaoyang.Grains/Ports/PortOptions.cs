namespace FriendlyChaoyang.Ports;

public sealed class PortOptions
{
    public const string Section = "Ports";

    /// <summary>A port whose latest report is older than this counts as unknown: in the total, never free.</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Port status is soft state: a station writes its ports at most once per this period (and when it deactivates),
    /// never once per report. A silo that dies loses at most this much, and the next feed restores it.
    /// </summary>
    public TimeSpan SnapshotPeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a station with ports re-counts them (staleness, expired reservations) and refreshes the nearby index.</summary>
    public TimeSpan RefreshPeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a rider's reservation holds a port.</summary>
    public TimeSpan ReservationTtl { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Reminder period of a station holding reservations: releases them even when the station's silo died.</summary>
    public TimeSpan ReservationSweepPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How far a report's <c>at</c> may lie ahead of our clock; further would block every later report until then.</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a partner can still pull a reservation after its last change.</summary>
    public TimeSpan PartnerHistory { get; set; } = TimeSpan.FromDays(7);
}
