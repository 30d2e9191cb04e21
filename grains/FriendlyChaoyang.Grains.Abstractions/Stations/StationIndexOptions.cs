namespace FriendlyChaoyang.Stations;

/// <summary>
/// How fresh a process's <see cref="StationIndexCopy"/> is kept: each silo's (the finder grain's) and the REST API's
/// (nearby searches). Bound from the same "Stations" section as the stations' own options.
/// </summary>
public sealed class StationIndexOptions
{
    public const string Section = "Stations";

    /// <summary>
    /// How long searches reuse the list of occupied geo cells: a station defined in a new cell is found at most this
    /// long after its definition. Cells change only when stations are defined, so it can be long.
    /// </summary>
    public TimeSpan OccupiedCellsCacheTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How old the copy of the station index may be when a nearby search starts: under load the copy is re-read about
    /// this often (one call per occupied cell, ~60 in Chaoyang), so a station that just filled up drops out of searches
    /// for a seat within about this long. Shorter costs more cell calls per second.
    /// </summary>
    public TimeSpan NearbyCopyMaxAge { get; set; } = TimeSpan.FromMilliseconds(50);
}
