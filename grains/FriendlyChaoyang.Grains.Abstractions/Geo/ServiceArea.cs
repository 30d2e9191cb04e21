namespace FriendlyChaoyang.Geo;

/// <summary>
/// Where the service operates: "inside Beijing" of DESIGN.md, a latitude/longitude box. Reports must lie in it, and
/// the station index covers only it, so a search whose circle misses it costs no grain call at all.
/// </summary>
public static class ServiceArea
{
    public const double MinLat = 39.44;
    public const double MaxLat = 41.06;
    public const double MinLon = 115.42;
    public const double MaxLon = 117.51;

    /// <summary>False for NaN as well, so a non-number never counts as inside.</summary>
    public static bool Contains(double lat, double lon) => lat is >= MinLat and <= MaxLat && lon is >= MinLon and <= MaxLon;
}
