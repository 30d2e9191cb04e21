using FriendlyChaoyang.Catalog;

namespace FriendlyChaoyang.Geo;

/// <summary>Distances on a spherical Earth; plenty for a city, where ellipsoid effects stay under 0.5%.</summary>
public static class GeoMath
{
    /// <summary>The IUGG mean Earth radius in metres.</summary>
    public const double EarthRadiusM = 6371008.8;

    /// <summary>Metres in one degree of latitude (and of longitude at the equator).</summary>
    public const double MetresPerDegreeLat = Math.PI * EarthRadiusM / 180;

    /// <summary>Great-circle distance in metres between two WGS84 points given in degrees (haversine formula).</summary>
    public static double DistanceM(double lat1, double lon1, double lat2, double lon2)
    {
        var phi1 = ToRadians(lat1);
        var phi2 = ToRadians(lat2);
        var sinHalfDPhi = Math.Sin((phi2 - phi1) / 2);
        var sinHalfDLambda = Math.Sin(ToRadians(lon2 - lon1) / 2);
        var h = (sinHalfDPhi * sinHalfDPhi) + (Math.Cos(phi1) * Math.Cos(phi2) * sinHalfDLambda * sinHalfDLambda);

        // Rounding can push h a hair above 1 for near-antipodal points, where Asin would return NaN.
        return 2 * EarthRadiusM * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    /// <summary>
    /// The subdistrict whose centre is nearest: the routing rule for reports until real boundaries are available.
    /// The first listed wins an exact tie. Callers pass a valid position (see <see cref="ServiceArea"/>).
    /// </summary>
    public static Subdistrict NearestSubdistrict(IReadOnlyList<Subdistrict> subdistricts, double lat, double lon)
    {
        ArgumentNullException.ThrowIfNull(subdistricts);
        return subdistricts.MinBy(s => DistanceM(lat, lon, s.Lat, s.Lon))
            ?? throw new ArgumentException("No subdistricts to route to.", nameof(subdistricts));
    }

    private static double ToRadians(double degrees) => degrees * (Math.PI / 180);
}
