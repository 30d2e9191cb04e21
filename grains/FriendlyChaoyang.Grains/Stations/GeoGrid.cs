using System.Globalization;

namespace FriendlyChaoyang.Stations;

/// <summary>
/// The fixed grid that shards the station index: cells of 0.04° latitude by 0.05° longitude, about 4.4 km square at
/// Beijing's latitude, so a default 3 km search touches at most a handful of cells and Chaoyang fits in about 60.
/// </summary>
public static class GeoGrid
{
    public const double CellLatDegrees = 0.04;
    public const double CellLonDegrees = 0.05;
    private const double MetresPerDegreeLat = Math.PI * GeoMath.EarthRadiusM / 180;

    public static (int Row, int Col) Cell(double lat, double lon) =>
        ((int)Math.Floor(lat / CellLatDegrees), (int)Math.Floor(lon / CellLonDegrees));

    public static string CellKey(double lat, double lon) => Key(Cell(lat, lon));

    public static string Key((int Row, int Col) cell) => string.Create(CultureInfo.InvariantCulture, $"{cell.Row}:{cell.Col}");

    /// <summary>Every cell that intersects the bounding box of a circle, so no station within the radius is missed.</summary>
    public static IEnumerable<string> CellsCovering(double lat, double lon, double radiusM)
    {
        var dLat = radiusM / MetresPerDegreeLat;
        // Widen by the cosine at the box edge nearest the pole, where a degree of longitude is shortest.
        var edgeLat = Math.Min(89.9, Math.Abs(lat) + dLat);
        var dLon = radiusM / (MetresPerDegreeLat * Math.Cos(edgeLat * Math.PI / 180));
        var (minRow, minCol) = Cell(lat - dLat, lon - dLon);
        var (maxRow, maxCol) = Cell(lat + dLat, lon + dLon);
        for (var row = minRow; row <= maxRow; row++)
        {
            for (var col = minCol; col <= maxCol; col++)
            {
                yield return Key((row, col));
            }
        }
    }
}
