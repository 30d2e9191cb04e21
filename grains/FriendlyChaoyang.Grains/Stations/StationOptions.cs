namespace FriendlyChaoyang.Stations;

public sealed class StationOptions
{
    public const string Section = "Stations";

    /// <summary>A check-in nobody closed is released after this long (a rider forgot to check out).</summary>
    public TimeSpan CheckInTtl { get; set; } = TimeSpan.FromHours(4);

    /// <summary>How often an occupied station looks for expired check-ins. A reminder, so it survives silo restarts.</summary>
    public TimeSpan ExpirySweepPeriod { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A check-in older than this whose rider no longer names this station (a move that crashed half-way and was never
    /// retried) is released at the next sweep, so a rider never holds two seats for long.
    /// </summary>
    public TimeSpan ReconcileAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a full station reuses the alternatives it computed, so a lunch rush of refusals costs one search.</summary>
    public TimeSpan AlternativesCacheTime { get; set; } = TimeSpan.FromSeconds(2);


    /// <summary>
    /// How often an active station publishes itself to the geo index again. Publishing is one-way, so a lost upsert (a
    /// cell whose write failed, e.g. a second activation while silos join, or a cell reloaded after its silo died with
    /// only the free counts it last stored) would otherwise last until the station's next change. A repeat writes nothing.
    /// </summary>
    public TimeSpan RepublishPeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The most often a station sends its snapshot to the geo index for changes in its free seats that do not change
    /// whether it has room (those, and changes of its ports, go at once): the first change after a quiet spell at once,
    /// the rest together at the end of the interval. Nearby's free seats lag a busy station by at most this much. A
    /// second: a rider cannot tell, and at 200 ms the busy stations' publishing cost about 4% of the silo's CPU per
    /// check-in (docs/benchmarks.md, ninth look).
    /// </summary>
    public TimeSpan PublishInterval { get; set; } = TimeSpan.FromSeconds(1);


    /// <summary>
    /// How long after its end an activity stays in its station's calendar (and in calendar searches): the calendar is
    /// part of every write of the station's state, so it keeps only what riders may still look back at.
    /// </summary>
    public TimeSpan CalendarRetention { get; set; } = TimeSpan.FromDays(30);
}
