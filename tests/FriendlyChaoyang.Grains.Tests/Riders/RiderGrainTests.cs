using FriendlyChaoyang.Persistence;
using FriendlyChaoyang.Points;
using FriendlyChaoyang.Riders;
using FriendlyChaoyang.Seeds;
using FriendlyChaoyang.Stations;
using FriendlyChaoyang.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Storage;
using Orleans.TestingHost;

namespace FriendlyChaoyang.Tests.Riders;

[Collection(ClusterCollection.Name)]
public sealed class RiderGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task AnUpdatedProfileSurvivesReactivationAndShowsThePointsFromTheLedger()
    {
        var riderId = $"profile-{Guid.NewGuid():N}";
        var rider = fixture.Client.GetGrain<IRiderGrain>(riderId);
        await fixture.Client.GetGrain<IPointsLedgerGrain>(riderId).CreditAsync(new LedgerCredit("grant:1", 5, "test_grant", "test"));

        await rider.UpdateProfileAsync(new RiderProfileUpdate("Li Lei", "meituan", "delivery"));
        await fixture.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var profile = await rider.GetProfileAsync();

        Assert.Equal(new RiderProfile(riderId, "Li Lei", "meituan", "delivery", null, new PointsSummary(5, 0)), profile);
    }

    [Fact]
    public async Task AnExpiryNoticeForAnOlderCheckInLeavesTheRidersCurrentStationAlone()
    {
        var station = SeedStation();
        var rider = fixture.Client.GetGrain<IRiderGrain>($"expiry-{Guid.NewGuid():N}");
        var checkIn = (await rider.CheckInAsync(station.Id, false)).CheckIn!;

        await rider.CheckInExpiredAsync(station.Id, checkIn.CheckedInAt.AddMinutes(-5));
        var stillThere = await rider.GetCurrentStationAsync();
        await rider.CheckInExpiredAsync(station.Id, checkIn.CheckedInAt);
        var gone = await rider.GetCurrentStationAsync();

        Assert.Equal(checkIn, stillThere);
        Assert.Null(gone);
        await fixture.Client.GetGrain<IStationGrain>(station.Id).ReleaseAsync(rider.GetPrimaryKeyString());
    }

    [Fact]
    public async Task ARiderStoredBeforeStationsToAskExistedStillFindsItsCheckIn()
    {
        // Rows written before session 8 name only LastCheckIn: a restarted rider must still ask that station.
        var station = SeedStation();
        var riderId = $"old-row-{Guid.NewGuid():N}";
        var rider = fixture.Client.GetGrain<IRiderGrain>(riderId);
        var checkIn = (await fixture.Client.GetGrain<IStationGrain>(station.Id).AdmitAsync(riderId, charging: false)).CheckIn!;
        var silo = fixture.Cluster.GetActiveSilos().OfType<InProcessSiloHandle>().First();
        var storage = silo.ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.Batched);
        await storage.WriteStateAsync("rider", rider.GetGrainId(), new GrainState<RiderState>(new RiderState { LastCheckIn = checkIn }));

        var found = (await rider.GetProfileAsync()).CurrentStation;
        var checkOut = await rider.CheckOutAsync(station.Id);

        Assert.Equal(checkIn, found);
        Assert.Equal(CheckOutStatus.CheckedOut, checkOut.Status);
    }

    private static StationDefinition SeedStation() => SeedData.Stations.MaxBy(s => s.Seats)!;
}
