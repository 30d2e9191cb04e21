using System.Globalization;
using FriendlyChaoyang.Geo;

namespace FriendlyChaoyang.Stations;

/// <summary>
/// The fixed grid that shards the station index: cells of 0.04° latitude by 0.05° longitude, about 4.4 km square at
/// Beijing's latitude, so a default 3 km search touches at most a handful of cells and Chaoyang fits in about 60.
/// </summary>
public static class GeoGrid
{
    public const double CellLatDegrees = 0.04;
    public const double CellLonDegrees = 0.05;

    /// <summary>
    /// The most cells one query may cover: a search of <see cref="NearbyLimits.MaxRadiusM"/> at the service area's
    /// northern edge spans 10 x 11 cells. Far more would mean a caller asked for an area no search needs.
    /// </summary>
    public const int MaxCellsPerQuery = 121;

    public static (int Row, int Col) Cell(double lat, double lon) =>
        ((int)Math.Floor(lat / CellLatDegrees), (int)Math.Floor(lon / CellLonDegrees));

    public static string CellKey(double lat, double lon) => Key(Cell(lat, lon));

    public static string Key((int Row, int Col) cell) => string.Create(CultureInfo.InvariantCulture, $"{cell.Row}:{cell.Col}");

    /// <summary>
    /// Every cell that intersects the bounding box of a circle, so no station within the radius is missed, clipped to
    /// the <see cref="ServiceArea"/> (stations lie inside it). Empty when the circle misses the service area.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The circle covers more than <see cref="MaxCellsPerQuery"/> cells.</exception>
    public static IReadOnlyList<string> CellsCovering(double lat, double lon, double radiusM)
    {
        if (!double.IsFinite(lat) || !double.IsFinite(lon) || !(radiusM >= 0))
        {
            return [];
        }
        var box = BoundingBox(lat, lon, radiusM);
        var (south, north) = (Math.Max(box.South, ServiceArea.MinLat), Math.Min(box.North, ServiceArea.MaxLat));
        var (west, east) = (Math.Max(box.West, ServiceArea.MinLon), Math.Min(box.East, ServiceArea.MaxLon));
        if (south > north || west > east)
        {
            return [];
        }
        var (minRow, minCol) = Cell(south, west);
        var (maxRow, maxCol) = Cell(north, east);
        var count = (maxRow - minRow + 1) * (maxCol - minCol + 1);
        if (count > MaxCellsPerQuery)
        {
            throw new ArgumentOutOfRangeException(nameof(radiusM), radiusM, $"The circle covers {count} cells; a query may cover at most {MaxCellsPerQuery}.");
        }
        var cells = new List<string>(count);
        for (var row = minRow; row <= maxRow; row++)
        {
            for (var col = minCol; col <= maxCol; col++)
            {
                cells.Add(Key((row, col)));
            }
        }
        return cells;
    }

    /// <summary>A box in degrees holding the whole circle: every point within <paramref name="radiusM"/> lies inside it.</summary>
    private static (double South, double North, double West, double East) BoundingBox(double lat, double lon, double radiusM)
    {
        var dLat = radiusM / GeoMath.MetresPerDegreeLat;
        // Widen by the cosine at the box edge nearest the pole, where a degree of longitude is shortest.
        var edgeLat = Math.Min(89.9, Math.Abs(lat) + dLat);
        var dLon = radiusM / (GeoMath.MetresPerDegreeLat * Math.Cos(edgeLat * Math.PI / 180));
        return (lat - dLat, lat + dLat, lon - dLon, lon + dLon);
    }
}
