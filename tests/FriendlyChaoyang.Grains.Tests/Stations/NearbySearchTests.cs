using FriendlyChaoyang.Seeds;
using FriendlyChaoyang.Stations;
using FriendlyChaoyang.Testing;

namespace FriendlyChaoyang.Tests.Stations;

[Collection(ClusterCollection.Name)]
public sealed class NearbySearchTests(ClusterFixture fixture)
{
    [Theory]
    [InlineData(1, 3000, 10)]
    [InlineData(2, 1000, 50)]
    [InlineData(3, 8000, 50)]
    [InlineData(4, 20000, 25)]
    public async Task NearbyAgreesWithABruteForceSortOverEverySeedStation(int seed, double radiusM, int limit)
    {
        var random = new Random(seed);
        var finder = fixture.Client.GetGrain<IStationFinderGrain>(0);
        for (var i = 0; i < 25; i++)
        {
            // Random points over Chaoyang and a little beyond it.
            var lat = 39.80 + random.NextDouble() * 0.30;
            var lon = 116.35 + random.NextDouble() * 0.35;

            var found = await finder.FindNearbyAsync(new NearbyQuery(lat, lon, radiusM, limit, StationNeed.Any));

            var expected = SeedData.Stations
                .Select(s => (s.Id, Distance: GeoMath.DistanceM(lat, lon, s.Lat, s.Lon)))
                .Where(s => s.Distance <= radiusM)
                .OrderBy(s => s.Distance)
                .Take(limit)
                .ToList();
            Assert.Equal(expected.Select(e => e.Id), found.Select(f => f.Id));
            Assert.All(found.Zip(expected), pair => Assert.Equal(pair.Second.Distance, pair.First.DistanceM, 0.1));
        }
    }

    [Fact]
    public async Task TheNeedFilterLeavesOutStationsWithoutThatKindOfRoom()
    {
        var finder = fixture.Client.GetGrain<IStationFinderGrain>(0);

        var swap = await finder.FindNearbyAsync(new NearbyQuery(39.92, 116.46, 20000, 50, StationNeed.Swap));
        var all = await finder.FindNearbyAsync(new NearbyQuery(39.92, 116.46, 20000, 50, StationNeed.Any));

        Assert.NotEmpty(swap);
        Assert.All(swap, s => Assert.True(s.Swap.Free > 0));
        Assert.Contains(all, s => s.Swap.Total == 0);
    }

    [Fact]
    public async Task NearbyShowsLiveFreeSeatsSoonAfterACheckIn()
    {
        var seed = SeedData.Stations[100];
        var rider = fixture.Client.GetGrain<Riders.IRiderGrain>($"live-{Guid.NewGuid():N}");
        var before = await FreeSeatsAsync(seed);

        await rider.CheckInAsync(seed.Id, false);

        var deadline = DateTime.UtcNow.AddSeconds(5);
        int after;
        do
        {
            after = await FreeSeatsAsync(seed);
        }
        while (after != before - 1 && DateTime.UtcNow < deadline);
        Assert.Equal(before - 1, after);
        await rider.CheckOutAsync(seed.Id);
    }

    private async Task<int> FreeSeatsAsync(StationSeed seed)
    {
        var found = await fixture.Client.GetGrain<IStationFinderGrain>(0)
            .FindNearbyAsync(new NearbyQuery(seed.Lat, seed.Lon, 1, 5, StationNeed.Any));
        return found.Single(s => s.Id == seed.Id).Seats.Free;
    }
}
