namespace FriendlyChaoyang.Geo;

/// <summary>
/// A point as a unit vector from the Earth's centre, for searches that measure hundreds of stations from one place: each
/// station's vector is computed once, and then no pair needs trigonometry. The squared chord between two vectors grows
/// with their great-circle distance (filter and order by it); only the results kept are converted to metres, by the
/// same formula as <see cref="GeoMath.DistanceM"/> (the haversine is a quarter of the squared chord).
/// </summary>
public readonly record struct SpherePoint(double X, double Y, double Z)
{
    public static SpherePoint FromDegrees(double lat, double lon)
    {
        var phi = lat * (Math.PI / 180);
        var lambda = lon * (Math.PI / 180);
        var cosPhi = Math.Cos(phi);
        return new SpherePoint(cosPhi * Math.Cos(lambda), cosPhi * Math.Sin(lambda), Math.Sin(phi));
    }

    /// <summary>The squared chord of a great-circle distance: a point lies within it when its <see cref="ChordSquaredTo"/> is at most this.</summary>
    public static double ChordSquaredOf(double distanceM)
    {
        var chord = 2 * Math.Sin(Math.Min(distanceM, Math.PI * GeoMath.EarthRadiusM) / (2 * GeoMath.EarthRadiusM));
        return chord * chord;
    }

    /// <summary>The great-circle distance in metres of a squared chord.</summary>
    public static double DistanceM(double chordSquared) =>
        2 * GeoMath.EarthRadiusM * Math.Asin(Math.Min(1, Math.Sqrt(chordSquared) / 2));

    public double ChordSquaredTo(SpherePoint other)
    {
        var (dx, dy, dz) = (X - other.X, Y - other.Y, Z - other.Z);
        return (dx * dx) + (dy * dy) + (dz * dz);
    }
}
