using FriendlyChaoyang.Geo;
using FriendlyChaoyang.Ports;
using FriendlyChaoyang.Riders;
using FriendlyChaoyang.Seeds;
using FriendlyChaoyang.Stations;
using FriendlyChaoyang.Testing;
using Orleans.Runtime;

namespace FriendlyChaoyang.Tests.Stations;

[Collection(ClusterCollection.Name)]
public sealed class NearbySearchTests(ClusterFixture fixture)
{
    [Fact]
    public async Task ACellSendsACopyOnlyTheStationsThatChangedSinceItsVersionAndACopyOfAnotherEpochTheWholeCell()
    {
        var cell = fixture.Client.GetGrain<IGeoCellGrain>($"test-cell-{Guid.NewGuid():N}");
        StationSnapshot Snapshot(string id) => new(id, id, "chaowai", 39.92, 116.45, true, new Capacity(10, 10), new Capacity(2, 2), new Capacity(0, 0), [], 0);
        var (a, b) = (Snapshot($"a-{Guid.NewGuid():N}"), Snapshot($"b-{Guid.NewGuid():N}"));
        await cell.UpsertAsync(a);
        await cell.UpsertAsync(b);

        var first = await cell.ChangesSinceAsync(null);
        await cell.UpsertAsync(b with { Seats = new Capacity(10, 9), Present = 1 });
        var second = await cell.ChangesSinceAsync(first.Version);
        var third = await cell.ChangesSinceAsync(second.Version);
        var otherEpoch = await cell.ChangesSinceAsync(new CellVersion(Guid.NewGuid(), second.Version.Version));

        Assert.True(first.Whole);
        Assert.Equal([a.Id, b.Id], first.Stations.Select(s => s.Id).Order(StringComparer.Ordinal));
        Assert.False(second.Whole);
        Assert.Equal(9, Assert.Single(second.Stations, s => s.Id == b.Id).Seats.Free);
        Assert.Single(second.Stations);
        Assert.Empty(third.Stations);
        Assert.True(otherEpoch.Whole);
        Assert.Equal(2, otherEpoch.Stations.Count);
    }

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
        // Charged batteries are known only from an operator's feed: report one at a seeded station.
        var fed = SeedData.Stations.First(s => s.SwapPorts > 0 && GeoMath.DistanceM(39.92, 116.46, s.Lat, s.Lon) < 2000);
        await fixture.Client.GetGrain<IStationPortsGrain>(fed.Id).ReportAsync(
            $"need-{Guid.NewGuid():N}", PortFeedMode.Snapshot, [new PortReport($"slot-{Guid.NewGuid():N}", PortKind.Swap, null, null, PortStatus.Charged, DateTimeOffset.UtcNow)]);

        var swap = await Eventually.ReadAsync(
            () => finder.FindNearbyAsync(new NearbyQuery(39.92, 116.46, 20000, 50, StationNeed.Swap)), found => found.Any(s => s.Id == fed.Id), seconds: 3);
        var all = await finder.FindNearbyAsync(new NearbyQuery(39.92, 116.46, 20000, 50, StationNeed.Any));

        Assert.Contains(swap, s => s.Id == fed.Id);
        Assert.All(swap, s => Assert.True(s.Swap.Free > 0));
        Assert.Contains(all, s => s.Swap.Total == 0);
        Assert.Contains(all, s => s.Swap.Total > 0 && s.Swap.Free == 0);
    }

    [Fact]
    public async Task NearbyShowsLiveFreeSeatsSoonAfterACheckIn()
    {
        var seed = SeedData.Stations[100];
        var rider = fixture.Client.GetGrain<IRiderGrain>($"live-{Guid.NewGuid():N}");
        var before = await FreeSeatsAsync(seed);

        await rider.CheckInAsync(seed.Id, false);

        var after = await Eventually.ReadAsync(() => FreeSeatsAsync(seed), free => free == before - 1, seconds: 5);
        Assert.Equal(before - 1, after);
        await rider.CheckOutAsync(seed.Id);
    }

    [Fact]
    public async Task ABurstOfCheckInsReachesNearbyWithItsLastChangeWellBeforeTheNextRepublish()
    {
        var finder = fixture.Client.GetGrain<IStationFinderGrain>(0);
        // Miyun, far from the seeds and from the other tests' stations.
        var (lat, lon) = (40.30 + (Random.Shared.NextDouble() * 0.3), 116.80 + (Random.Shared.NextDouble() * 0.3));
        var id = $"burst-{Guid.NewGuid():N}";
        await fixture.Client.GetGrain<IStationGrain>(id).DefineAsync(new StationDefinition(id, "Burst station", "test", lat, lon, true, 30, 0, 0, []));
        Assert.NotNull(await Eventually.ReadAsync(() => FreeSeatsAsync(id, lat, lon), free => free == 30, seconds: 10));
        var riders = Enumerable.Range(0, 20).Select(i => fixture.Client.GetGrain<IRiderGrain>($"burst-{i}-{Guid.NewGuid():N}")).ToList();

        // Many changes within one publish interval: the first goes out at once, the rest together at its end. The test
        // cluster republishes every 5 s, so only that trailing publish can show the last change within 2 s.
        await Task.WhenAll(riders.Select(r => r.CheckInAsync(id, false)));
        Assert.Equal(10, await Eventually.ReadAsync(() => FreeSeatsAsync(id, lat, lon), free => free == 10, seconds: 2));

        await Task.WhenAll(riders.Select(r => r.CheckOutAsync(id)));
        Assert.Equal(30, await Eventually.ReadAsync(() => FreeSeatsAsync(id, lat, lon), free => free == 30, seconds: 2));
    }

    [Fact]
    public async Task AStationRedefinedInAnotherCellIsListedOnlyThere()
    {
        var finder = fixture.Client.GetGrain<IStationFinderGrain>(0);
        // Pinggu, far from the seeds and from the other tests' stations; the second place is two cells further east.
        var (lat, lon) = (40.10 + (Random.Shared.NextDouble() * 0.2), 117.00 + (Random.Shared.NextDouble() * 0.2));
        var (movedLat, movedLon) = (lat, lon + (2 * GeoGrid.CellLonDegrees));
        var id = $"moved-{Guid.NewGuid():N}";
        var station = fixture.Client.GetGrain<IStationGrain>(id);
        await station.DefineAsync(new StationDefinition(id, "Moving station", "test", lat, lon, true, 4, 0, 0, []));
        Assert.NotNull(await Eventually.ReadAsync(() => FreeSeatsAsync(id, lat, lon), free => free == 4, seconds: 10));

        await station.DefineAsync(new StationDefinition(id, "Moving station", "test", movedLat, movedLon, true, 4, 0, 0, []));

        Assert.NotNull(await Eventually.ReadAsync(() => FreeSeatsAsync(id, movedLat, movedLon), free => free == 4, seconds: 10));
        var everywhere = await finder.FindNearbyAsync(new NearbyQuery(lat, lon, NearbyLimits.MaxRadiusM, 50, StationNeed.Any));
        var listed = Assert.Single(everywhere, s => s.Id == id);
        Assert.Equal((movedLat, movedLon), (listed.Lat, listed.Lon));
        Assert.DoesNotContain(id, (await fixture.Client.GetGrain<IGeoCellGrain>(GeoGrid.CellKey(lat, lon)).ChangesSinceAsync(null)).Stations.Select(s => s.Id));
    }

    [Theory]
    [InlineData(90, 180)]
    [InlineData(-90, -180)]
    [InlineData(31.23, 121.47)]
    // Inside the service area, but no station within 20 km.
    [InlineData(41.0, 115.5)]
    public async Task ASearchWhereNoStationIsFindsNothingAndActivatesNoGeoCell(double lat, double lon)
    {
        var finder = fixture.Client.GetGrain<IStationFinderGrain>(0);

        var found = await finder.FindNearbyAsync(new NearbyQuery(lat, lon, NearbyLimits.MaxRadiusM, 50, StationNeed.Any));

        Assert.Empty(found);
        // Cell grains exist only where stations are: every active one is in the directory of occupied cells.
        var occupied = await fixture.Client.GetGrain<IGeoCellDirectoryGrain>(0).ListAsync();
        var activeCells = await ActiveGeoCellsAsync();
        Assert.NotEmpty(activeCells);
        Assert.All(activeCells, cell => Assert.Contains(cell, occupied));
    }

    [Fact]
    public void NoSearchCoversMoreCellsThanTheCapAndOneFarOutsideTheServiceAreaCoversNone()
    {
        var most = 0;
        for (var lat = ServiceArea.MinLat - 0.3; lat <= ServiceArea.MaxLat + 0.3; lat += 0.013)
        {
            for (var lon = ServiceArea.MinLon - 0.3; lon <= ServiceArea.MaxLon + 0.3; lon += 0.017)
            {
                most = Math.Max(most, GeoGrid.CellsCovering(lat, lon, NearbyLimits.MaxRadiusM).Count);
            }
        }

        Assert.InRange(most, 100, GeoGrid.MaxCellsPerQuery);
        Assert.Empty(GeoGrid.CellsCovering(90, 180, NearbyLimits.MaxRadiusM));
        Assert.Empty(GeoGrid.CellsCovering(-90, -180, NearbyLimits.MaxRadiusM));
        Assert.Throws<ArgumentOutOfRangeException>(() => GeoGrid.CellsCovering(40.2, 116.4, 200_000));
    }

    [Fact]
    public async Task AStationDefinedInACellWithoutStationsIsFoundOnceTheSilosReReadTheDirectory()
    {
        var finder = fixture.Client.GetGrain<IStationFinderGrain>(0);
        // Yanqing, far from the seeds and from the other tests' stations.
        var (lat, lon) = (40.46 + (Random.Shared.NextDouble() * 0.5), 115.50 + (Random.Shared.NextDouble() * 0.3));
        Assert.Empty(await finder.FindNearbyAsync(new NearbyQuery(lat, lon, 10, 5, StationNeed.Any)));
        var id = $"late-{Guid.NewGuid():N}";

        await fixture.Client.GetGrain<IStationGrain>(id).DefineAsync(
            new StationDefinition(id, "Late station", "test", lat, lon, true, 4, 2, 0, ["hot_water"]));

        var found = await Eventually.ReadAsync(
            () => finder.FindNearbyAsync(new NearbyQuery(lat, lon, 10, 5, StationNeed.Any)), f => f.Count > 0, seconds: 10);
        Assert.Equal(id, Assert.Single(found).Id);
        Assert.Contains(GeoGrid.CellKey(lat, lon), await fixture.Client.GetGrain<IGeoCellDirectoryGrain>(0).ListAsync());
    }

    [Fact]
    public async Task AStationWhoseGeoCellLostItsUpsertIsFoundAgainAfterTheNextRepublish()
    {
        var finder = fixture.Client.GetGrain<IStationFinderGrain>(0);
        // Yanqing, far from the seeds and from the other tests' stations.
        var (lat, lon) = (40.46 + (Random.Shared.NextDouble() * 0.5), 115.50 + (Random.Shared.NextDouble() * 0.3));
        var id = $"lost-{Guid.NewGuid():N}";
        var cell = fixture.Client.GetGrain<IGeoCellGrain>(GeoGrid.CellKey(lat, lon));
        // The cell's write of the new station fails as a second activation's would: the cell drops its activation and the
        // station's one-way upsert is gone.
        WriteFaults.FailNextWrite<GeoCellState>(cell.GetGrainId(), s => s.Stations.ContainsKey(id));

        await fixture.Client.GetGrain<IStationGrain>(id).DefineAsync(
            new StationDefinition(id, "Lost station", "test", lat, lon, true, 4, 2, 0, ["hot_water"]));

        var found = await Eventually.ReadAsync(
            () => finder.FindNearbyAsync(new NearbyQuery(lat, lon, 10, 5, StationNeed.Any)), f => f.Count > 0, seconds: 15);
        Assert.Equal(id, Assert.Single(found).Id);
    }

    private async Task<IReadOnlyList<string>> ActiveGeoCellsAsync()
    {
        var management = fixture.Client.GetGrain<IManagementGrain>(0);
        var stats = await management.GetDetailedGrainStatistics();
        return [.. stats.Where(s => s.GrainType.Contains(nameof(GeoCellGrain), StringComparison.Ordinal)).Select(s => s.GrainId.Key.ToString()!).Distinct()];
    }

    private async Task<int?> FreeSeatsAsync(string id, double lat, double lon) =>
        (await fixture.Client.GetGrain<IStationFinderGrain>(0).FindNearbyAsync(new NearbyQuery(lat, lon, 1, 5, StationNeed.Any)))
            .SingleOrDefault(s => s.Id == id)?.Seats.Free;

    private async Task<int> FreeSeatsAsync(StationDefinition seed)
    {
        var found = await fixture.Client.GetGrain<IStationFinderGrain>(0)
            .FindNearbyAsync(new NearbyQuery(seed.Lat, seed.Lon, 1, 5, StationNeed.Any));
        return found.Single(s => s.Id == seed.Id).Seats.Free;
    }
}
