using FriendlyChaoyang.Riders;
using FriendlyChaoyang.Silo.Seeding;
using FriendlyChaoyang.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime;

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
        var host = await HostOfAsync(rider);
        var siloHandle = fixture.Cluster.Silos.Single(s => s.SiloAddress.Equals(host));

        await fixture.Cluster.KillSiloAsync(siloHandle);
        var profile = await rider.GetProfileAsync();
        await fixture.Cluster.StartAdditionalSiloAsync();

        Assert.Equal("Wang Fang", profile.DisplayName);
        Assert.Equal("meituan", profile.Platform);
        Assert.NotEqual(host, await HostOfAsync(rider));
    }

    [Fact]
    public async Task AnAddedSiloTakesNewActivationsAndAGracefullyStoppedOneLosesNoState()
    {
        var added = await fixture.Cluster.StartAdditionalSiloAsync();
        await fixture.Cluster.WaitForLivenessToStabilizeAsync();
        var prefix = $"scale-{Guid.NewGuid():N}";
        var riders = Enumerable.Range(0, 200).Select(i => fixture.Client.GetGrain<IRiderGrain>($"{prefix}-{i}")).ToList();
        await Task.WhenAll(riders.Select(r => r.UpdateProfileAsync(new RiderProfileUpdate("Scale", "eleme", "courier"))));

        var onAdded = 0;
        foreach (var rider in riders)
        {
            if (added.SiloAddress.Equals(await HostOfAsync(rider)))
            {
                onAdded++;
            }
        }
        await fixture.Cluster.StopSiloAsync(added);
        var profiles = await Task.WhenAll(riders.Select(r => r.GetProfileAsync()));

        Assert.True(onAdded > 0, "no rider was placed on the added silo");
        Assert.All(profiles, p => Assert.Equal("Scale", p.DisplayName));
    }

    [Fact]
    public async Task LoadingTheSeedsAgainWritesNothing()
    {
        const string stationVersions = "SELECT coalesce(sum(version), 0) FROM orleansstorage WHERE graintypestring = 'station'";
        var before = await fixture.Database.ScalarAsync<long>(stationVersions);

        await new SeedLoader(fixture.Client, NullLogger<SeedLoader>.Instance).Execute(CancellationToken.None);

        var after = await fixture.Database.ScalarAsync<long>(stationVersions);
        var stations = await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM orleansstorage WHERE graintypestring = 'station'");
        Assert.True(stations >= Seeds.SeedData.Stations.Count);
        Assert.Equal(before, after);
    }

    private async Task<SiloAddress> HostOfAsync(IGrain grain)
    {
        var management = fixture.Client.GetGrain<IManagementGrain>(0);
        foreach (var _ in Enumerable.Range(0, 50))
        {
            var hosts = await management.GetActivationAddress(grain);
            if (hosts is not null)
            {
                return hosts;
            }
            await Task.Delay(100);
        }
        throw new InvalidOperationException("Grain has no activation.");
    }
}
