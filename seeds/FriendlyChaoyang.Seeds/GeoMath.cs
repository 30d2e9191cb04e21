namespace FriendlyChaoyang.Seeds;

/// <summary>Distances on a spherical Earth; plenty for a city, where ellipsoid effects stay under 0.5%.</summary>
public static class GeoMath
{
    /// <summary>The IUGG mean Earth radius in metres.</summary>
    public const double EarthRadiusM = 6371008.8;

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

    /// <summary>The subdistrict whose centre is nearest; the first listed wins an exact tie.</summary>
    internal static SubdistrictSeed NearestSubdistrict(IReadOnlyList<SubdistrictSeed> subdistricts, double lat, double lon)
    {
        var nearest = subdistricts[0];
        var best = DistanceM(lat, lon, nearest.Lat, nearest.Lon);
        foreach (var candidate in subdistricts.Skip(1))
        {
            var distance = DistanceM(lat, lon, candidate.Lat, candidate.Lon);
            if (distance < best)
            {
                best = distance;
                nearest = candidate;
            }
        }

        return nearest;
    }

    private static double ToRadians(double degrees) => degrees * (Math.PI / 180);
}
