using FriendlyChaoyang.Health;
using FriendlyChaoyang.Hosting;
using FriendlyChaoyang.Riders;
using FriendlyChaoyang.Seeds;
using FriendlyChaoyang.Silo.Seeding;
using FriendlyChaoyang.Stations;
using FriendlyChaoyang.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Metadata;
using Orleans.Runtime;
using Orleans.Serialization.TypeSystem;
using Orleans.TestingHost;

namespace FriendlyChaoyang.Tests.Foundation;

[Collection(ClusterCollection.Name)]
public sealed class ClusterTests(ClusterFixture fixture)
{
    [Fact]
    public async Task ThreeSilosFormOneClusterThroughThePostgresMembershipTable()
    {
        var rows = await fixture.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM orleansmembershiptable WHERE deploymentid = '{fixture.Cluster.Options.ClusterId}' AND status = 3");
        var management = fixture.Client.GetGrain<IManagementGrain>(0);
        var active = await management.GetHosts(onlyActive: true);

        Assert.True(rows >= ClusterFixture.SiloCount, $"{rows} active membership rows");
        Assert.True(active.Count >= ClusterFixture.SiloCount);
    }

    [Fact]
    public void EveryGrainInterfaceKeepsTheTypeOrleansNamesItWhileTheSiloAsksTheCacheFirst()
    {
        var services = fixture.Cluster.GetActiveSilos().OfType<InProcessSiloHandle>().First().ServiceProvider;
        var providers = services.GetServices<IGrainInterfaceTypeProvider>().ToList();
        var uncached = new GrainInterfaceTypeResolver(providers.Skip(1), services.GetRequiredService<TypeConverter>());
        var grainInterfaces = typeof(IStationGrain).Assembly.GetTypes().Where(t => t.IsInterface && typeof(IGrain).IsAssignableFrom(t)).ToList();

        Assert.IsType<CachedGrainInterfaceTypes>(providers[0]);
        Assert.True(grainInterfaces.Count > 20, $"{grainInterfaces.Count} grain interfaces found");
        Assert.All(grainInterfaces, t =>
        {
            Assert.True(providers[0].TryGetGrainInterfaceType(t, out var cached));
            Assert.True(providers[0].TryGetGrainInterfaceType(t, out var again));
            Assert.Equal(uncached.GetGrainInterfaceType(t), cached);
            Assert.Equal(cached, again);
        });
    }

    [Fact]
    public async Task GrainsActivateAcrossAllSilos()
    {
        var prefix = Guid.NewGuid().ToString("N");
        await Task.WhenAll(Enumerable.Range(0, 120).Select(i =>
            fixture.Client.GetGrain<IRiderGrain>($"{prefix}-{i}").GetProfileAsync()));

        var stats = await fixture.Client.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        var silosHostingRiders = stats
            .Where(s => s.GrainType.Contains("RiderGrain", StringComparison.Ordinal) && s.ActivationCount > 0)
            .Select(s => s.SiloAddress)
            .Distinct()
            .Count();

        Assert.True(silosHostingRiders >= 2, $"rider grains active on {silosHostingRiders} silo(s)");
    }

    [Fact]
    public async Task GrainStateSurvivesTheDeathOfTheSiloThatHostedIt()
    {
        var riderId = $"survivor-{Guid.NewGuid():N}";
        var rider = fixture.Client.GetGrain<IRiderGrain>(riderId);
        await rider.UpdateProfileAsync(new RiderProfileUpdate("Wang Fang", "meituan", "delivery"));
        var host = await fixture.HostOfAsync(rider);
        var siloHandle = fixture.Cluster.Silos.Single(s => s.SiloAddress.Equals(host));

        await fixture.Cluster.KillSiloAsync(siloHandle);
        var profile = await rider.GetProfileAsync();
        await fixture.Cluster.StartAdditionalSiloAsync();

        Assert.Equal("Wang Fang", profile.DisplayName);
        Assert.Equal("meituan", profile.Platform);
        Assert.NotEqual(host, await fixture.HostOfAsync(rider));
    }

    [Fact]
    public async Task AnAddedSiloTakesNewActivationsAndAGracefullyStoppedOneLosesNoState()
    {
        var added = await fixture.Cluster.StartAdditionalSiloAsync();
        await fixture.Cluster.WaitForLivenessToStabilizeAsync();
        var prefix = $"scale-{Guid.NewGuid():N}";
        var riders = new List<IRiderGrain>();

        // The other silos learn of the new one (membership, its grain types, its load) a moment after it joins:
        // keep activating new riders until placement puts one there, rather than hoping one batch is enough.
        var placedOnAdded = await Eventually.TrueAsync(async () =>
        {
            var batch = Enumerable.Range(riders.Count, 50).Select(i => fixture.Client.GetGrain<IRiderGrain>($"{prefix}-{i}")).ToList();
            riders.AddRange(batch);
            await Task.WhenAll(batch.Select(r => r.UpdateProfileAsync(new RiderProfileUpdate("Scale", "eleme", "courier"))));
            var hosts = await Task.WhenAll(batch.Select(fixture.HostOfAsync));
            return hosts.Any(added.SiloAddress.Equals);
        }, seconds: 60);
        await fixture.Cluster.StopSiloAsync(added);
        var profiles = await Task.WhenAll(riders.Select(r => r.GetProfileAsync()));

        Assert.True(placedOnAdded, $"none of {riders.Count} riders was placed on the added silo within 60 s");
        Assert.All(profiles, p => Assert.Equal("Scale", p.DisplayName));
    }

    [Fact]
    public async Task LoadingTheSeedsAgainWritesNothing()
    {
        const string stationVersions = "SELECT coalesce(sum(version), 0) FROM orleansstorage WHERE graintypestring = 'station'";
        var before = await fixture.Database.ScalarAsync<long>(stationVersions);

        await new SeedLoader(fixture.Client, "test", NullLogger<SeedLoader>.Instance).WarmAsync(CancellationToken.None);

        var after = await fixture.Database.ScalarAsync<long>(stationVersions);
        var stations = await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM orleansstorage WHERE graintypestring = 'station'");
        Assert.True(stations >= SeedData.Stations.Count);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task EverySiloReportsTheDistrictWarmOnlyAfterFindingEverySeededStation()
    {
        var warmth = await fixture.Client.GetGrain<IReadinessGrain>(0).GetWarmthAsync();

        // The cluster fixture waits for its silos to start; a silo's start includes the warm-up.
        Assert.NotNull(warmth);
        Assert.Equal(SeedData.Stations.Count, warmth.Stations);
        var nearest = await fixture.Client.GetGrain<IStationFinderGrain>(0).FindNearbyAsync(
            new NearbyQuery(SeedData.Stations[^1].Lat, SeedData.Stations[^1].Lon, 100, 5, StationNeed.Any));
        Assert.Contains(nearest, s => s.Id == SeedData.Stations[^1].Id);
    }
}
