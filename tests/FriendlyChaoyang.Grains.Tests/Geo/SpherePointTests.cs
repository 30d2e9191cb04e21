using FriendlyChaoyang.Geo;

namespace FriendlyChaoyang.Tests.Geo;

public sealed class SpherePointTests
{
    [Fact]
    public void AChordMeasuresTheSameDistanceAsTheHaversineAndOrdersPointsLikeIt()
    {
        var random = new Random(14);
        for (var i = 0; i < 10_000; i++)
        {
            var (lat, lon) = (39.8 + (random.NextDouble() * 0.3), 116.35 + (random.NextDouble() * 0.35));
            var (otherLat, otherLon) = (lat + ((random.NextDouble() - 0.5) * 0.4), lon + ((random.NextDouble() - 0.5) * 0.4));
            var (thirdLat, thirdLon) = (lat + ((random.NextDouble() - 0.5) * 0.4), lon + ((random.NextDouble() - 0.5) * 0.4));
            var from = SpherePoint.FromDegrees(lat, lon);
            var chordSquared = from.ChordSquaredTo(SpherePoint.FromDegrees(otherLat, otherLon));
            var haversineM = GeoMath.DistanceM(lat, lon, otherLat, otherLon);

            Assert.Equal(haversineM, SpherePoint.DistanceM(chordSquared), 1e-6);
            Assert.Equal(haversineM <= 3000, chordSquared <= SpherePoint.ChordSquaredOf(3000));
            var thirdM = GeoMath.DistanceM(lat, lon, thirdLat, thirdLon);
            if (Math.Abs(thirdM - haversineM) > 1e-6)
            {
                Assert.Equal(thirdM < haversineM, from.ChordSquaredTo(SpherePoint.FromDegrees(thirdLat, thirdLon)) < chordSquared);
            }
        }
        Assert.Equal(20_000, SpherePoint.DistanceM(SpherePoint.ChordSquaredOf(20_000)), 1e-6);
        Assert.Equal(0, SpherePoint.DistanceM(SpherePoint.FromDegrees(39.9, 116.4).ChordSquaredTo(SpherePoint.FromDegrees(39.9, 116.4))));
    }
}
