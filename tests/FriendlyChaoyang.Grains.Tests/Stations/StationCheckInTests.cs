using FriendlyChaoyang.Persistence;
using FriendlyChaoyang.Riders;
using FriendlyChaoyang.Stations;
using FriendlyChaoyang.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;

namespace FriendlyChaoyang.Tests.Stations;

[Collection(ClusterCollection.Name)]
public sealed class StationCheckInTests(ClusterFixture fixture)
{
    // Test stations sit in Huairou, far outside Chaoyang, so they never show up in nearby searches over the seeds.
    private const double TestLat = 40.40;
    private const double TestLon = 116.60;

    [Fact]
    public async Task FiveHundredRidersRacingForThirtySeatsAdmitExactlyThirty()
    {
        var station = await DefineStationAsync(seats: 30, chargingPorts: 10);
        var neighbours = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => DefineStationAsync(seats: 8, chargingPorts: 2)));
        var prefix = Guid.NewGuid().ToString("N");

        var results = await Task.WhenAll(Enumerable.Range(0, 500).Select(i =>
            fixture.Client.GetGrain<IRiderGrain>($"{prefix}-{i}").CheckInAsync(station.Id, charging: false)));

        Assert.Equal(30, results.Count(r => r.Status == CheckInStatus.Admitted));
        var refused = results.Where(r => r.Status != CheckInStatus.Admitted).ToList();
        Assert.Equal(470, refused.Count);
        Assert.All(refused, r =>
        {
            Assert.Equal(CheckInStatus.NoFreeSeat, r.Status);
            Assert.Equal(3, r.Alternatives.Count);
            Assert.All(r.Alternatives, a => Assert.True(a.Seats.Free > 0 && a.Id != station.Id));
            Assert.Equal(r.Alternatives.OrderBy(a => a.DistanceM), r.Alternatives);
        });

        var stored = await ReadStoredStationAsync(station.Id);
        Assert.Equal(30, stored.Present.Count);
        await fixture.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var reloaded = await fixture.Client.GetGrain<IStationGrain>(station.Id).GetAsync();
        Assert.Equal(30, reloaded!.Present);
        Assert.Equal(0, reloaded.Seats.Free);
        Assert.All(neighbours, n => Assert.NotEqual(station.Id, n.Id));
    }

    [Fact]
    public async Task ChargingCheckInsAreRefusedWhenEveryPortIsTakenButSeatsRemain()
    {
        var station = await DefineStationAsync(seats: 10, chargingPorts: 2);
        var prefix = Guid.NewGuid().ToString("N");

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            fixture.Client.GetGrain<IRiderGrain>($"{prefix}-{i}").CheckInAsync(station.Id, charging: true)));
        var withoutCharging = await fixture.Client.GetGrain<IRiderGrain>($"{prefix}-plain").CheckInAsync(station.Id, charging: false);

        Assert.Equal(2, results.Count(r => r.Status == CheckInStatus.Admitted));
        Assert.Equal(4, results.Count(r => r.Status == CheckInStatus.NoFreeChargingPort));
        Assert.Equal(CheckInStatus.Admitted, withoutCharging.Status);
    }

    [Fact]
    public async Task RepeatingACheckInReturnsTheSameCheckInAndTakesOneSeat()
    {
        var station = await DefineStationAsync(seats: 5, chargingPorts: 2);
        var rider = fixture.Client.GetGrain<IRiderGrain>($"repeat-{Guid.NewGuid():N}");

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => rider.CheckInAsync(station.Id, false)));

        Assert.All(results, r => Assert.Equal(results[0].CheckIn, r.CheckIn));
        var snapshot = await fixture.Client.GetGrain<IStationGrain>(station.Id).GetAsync();
        Assert.Equal(1, snapshot!.Present);
    }

    [Fact]
    public async Task CheckingInElsewhereMovesTheRiderAndAFullDestinationKeepsTheOldSeat()
    {
        var a = await DefineStationAsync(seats: 5, chargingPorts: 1);
        var b = await DefineStationAsync(seats: 5, chargingPorts: 1);
        var full = await DefineStationAsync(seats: 1, chargingPorts: 1);
        await fixture.Client.GetGrain<IRiderGrain>($"occupant-{Guid.NewGuid():N}").CheckInAsync(full.Id, false);
        var rider = fixture.Client.GetGrain<IRiderGrain>($"mover-{Guid.NewGuid():N}");

        await rider.CheckInAsync(a.Id, false);
        await rider.CheckInAsync(b.Id, false);
        var refused = await rider.CheckInAsync(full.Id, false);

        Assert.Equal(CheckInStatus.NoFreeSeat, refused.Status);
        Assert.Equal(b.Id, (await rider.GetProfileAsync()).CurrentStation?.StationId);
        Assert.Equal(0, (await fixture.Client.GetGrain<IStationGrain>(a.Id).GetAsync())!.Present);
        Assert.Equal(1, (await fixture.Client.GetGrain<IStationGrain>(b.Id).GetAsync())!.Present);
    }

    [Fact]
    public async Task ARestartedRiderFindsItsCheckInAtTheStationItLastCameToAndMovesFromIt()
    {
        var a = await DefineStationAsync(seats: 5, chargingPorts: 1);
        var b = await DefineStationAsync(seats: 5, chargingPorts: 1);
        var rider = fixture.Client.GetGrain<IRiderGrain>($"regular-{Guid.NewGuid():N}");
        var management = fixture.Client.GetGrain<IManagementGrain>(0);

        await rider.CheckInAsync(a.Id, false);
        await rider.CheckOutAsync(a.Id);
        // Back at the same station: only the station records it.
        var again = (await rider.CheckInAsync(a.Id, true)).CheckIn;
        await management.ForceActivationCollection(TimeSpan.Zero);
        var afterRestart = (await rider.GetProfileAsync()).CurrentStation;
        await rider.CheckInAsync(b.Id, false);
        await rider.CheckOutAsync(b.Id);
        await management.ForceActivationCollection(TimeSpan.Zero);
        var afterCheckOutAndRestart = (await rider.GetProfileAsync()).CurrentStation;

        Assert.Equal(again, afterRestart);
        Assert.True(again!.Charging);
        Assert.Equal(0, (await fixture.Client.GetGrain<IStationGrain>(a.Id).GetAsync())!.Present);
        Assert.Equal(0, (await fixture.Client.GetGrain<IStationGrain>(b.Id).GetAsync())!.Present);
        Assert.Null(afterCheckOutAndRestart);
    }

    [Fact]
    public async Task ARiderRefusedElsewhereAndThenRestartedStillHoldsTheSeatItHad()
    {
        // The rider records a new station alongside the admission, before knowing the answer: a refusal must not make a
        // restarted rider forget the station it is at (its sweep would then release the rider from it).
        var a = await DefineStationAsync(seats: 5, chargingPorts: 1);
        var full = await DefineStationAsync(seats: 1, chargingPorts: 1);
        await fixture.Client.GetGrain<IRiderGrain>($"occupant-{Guid.NewGuid():N}").CheckInAsync(full.Id, false);
        var rider = fixture.Client.GetGrain<IRiderGrain>($"refused-{Guid.NewGuid():N}");
        var seat = (await rider.CheckInAsync(a.Id, false)).CheckIn;

        var refused = await rider.CheckInAsync(full.Id, false);
        await fixture.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var afterRestart = (await rider.GetProfileAsync()).CurrentStation;
        var checkOut = await rider.CheckOutAsync(a.Id);

        Assert.Equal(CheckInStatus.NoFreeSeat, refused.Status);
        Assert.Equal(seat, afterRestart);
        Assert.Equal(CheckOutStatus.CheckedOut, checkOut.Status);
        Assert.Equal(0, (await fixture.Client.GetGrain<IStationGrain>(a.Id).GetAsync())!.Present);
    }

    [Fact]
    public async Task AMoveWhoseRiderRecordFailsIsNotAcknowledgedAndItsRetryLeavesTheRiderAtOneStation()
    {
        // The new station has committed the admission, the rider's own record of it failed: the client got an error.
        var a = await DefineStationAsync(seats: 5, chargingPorts: 1);
        var b = await DefineStationAsync(seats: 5, chargingPorts: 1);
        var riderId = $"unrecorded-{Guid.NewGuid():N}";
        var rider = fixture.Client.GetGrain<IRiderGrain>(riderId);
        await rider.CheckInAsync(a.Id, false);
        WriteFaults.FailNextWrite<RiderState>(rider.GetGrainId(), s => s.StationsToAsk is [var first, ..] && first == b.Id);

        await Assert.ThrowsAnyAsync<Exception>(() => rider.CheckInAsync(b.Id, false));
        var retried = await rider.CheckInAsync(b.Id, false);
        await fixture.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var afterRestart = (await rider.GetProfileAsync()).CurrentStation;

        Assert.Equal(CheckInStatus.Admitted, retried.Status);
        Assert.Equal(retried.CheckIn, afterRestart);
        Assert.DoesNotContain(riderId, await fixture.Client.GetGrain<IStationGrain>(a.Id).GetPresentRidersAsync());
        Assert.Equal([riderId], await fixture.Client.GetGrain<IStationGrain>(b.Id).GetPresentRidersAsync());
    }

    [Fact]
    public async Task ARiderHammeringSeveralStationsEndsUpAtExactlyOne()
    {
        var stations = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => DefineStationAsync(seats: 20, chargingPorts: 5)));
        var riderId = $"hammer-{Guid.NewGuid():N}";
        var rider = fixture.Client.GetGrain<IRiderGrain>(riderId);

        await Task.WhenAll(Enumerable.Range(0, 300).Select(i => i % 7 == 6
            ? (Task)rider.CheckOutAsync(stations[i % 5].Id)
            : rider.CheckInAsync(stations[i % 5].Id, false)));
        var final = await rider.CheckInAsync(stations[2].Id, false);

        var holding = new List<string>();
        foreach (var station in stations)
        {
            if ((await fixture.Client.GetGrain<IStationGrain>(station.Id).GetPresentRidersAsync()).Contains(riderId))
            {
                holding.Add(station.Id);
            }
        }
        Assert.Equal([stations[2].Id], holding);
        Assert.Equal(stations[2].Id, (await rider.GetProfileAsync()).CurrentStation?.StationId);
        Assert.Equal(CheckInStatus.Admitted, final.Status);
    }

    [Fact]
    public async Task CheckingOutFreesTheSeatAndASecondCheckOutIsRefused()
    {
        var station = await DefineStationAsync(seats: 1, chargingPorts: 1);
        var rider = fixture.Client.GetGrain<IRiderGrain>($"leaver-{Guid.NewGuid():N}");
        await rider.CheckInAsync(station.Id, true);

        var first = await rider.CheckOutAsync(station.Id);
        var second = await rider.CheckOutAsync(station.Id);
        var next = await fixture.Client.GetGrain<IRiderGrain>($"next-{Guid.NewGuid():N}").CheckInAsync(station.Id, true);

        Assert.Equal(CheckOutStatus.CheckedOut, first.Status);
        Assert.True(first.CheckedOutAt >= first.CheckedInAt);
        Assert.Equal(CheckOutStatus.NotCheckedIn, second.Status);
        Assert.Equal(CheckInStatus.Admitted, next.Status);
        Assert.Null((await rider.GetProfileAsync()).CurrentStation);
    }

    [Fact]
    public async Task AForgottenCheckInExpiresAndFreesTheSeat()
    {
        // The fixture sets a 6 s time-to-live and a 2 s sweep reminder.
        var station = await DefineStationAsync(seats: 1, chargingPorts: 1);
        var rider = fixture.Client.GetGrain<IRiderGrain>($"forgetful-{Guid.NewGuid():N}");
        await rider.CheckInAsync(station.Id, false);

        var freed = await Eventually.TrueAsync(async () => (await fixture.Client.GetGrain<IStationGrain>(station.Id).GetAsync())!.Present == 0);

        Assert.True(freed, "the seat was not freed within 20 s");
        Assert.True(await Eventually.TrueAsync(async () => (await rider.GetProfileAsync()).CurrentStation is null));
    }

    [Fact]
    public async Task AnOccupantWhoseRiderSaysItIsElsewhereIsReleasedLongBeforeItsCheckInExpires()
    {
        // A move that crashed after the new station admitted the rider and before the rider recorded it, and was never
        // retried: the station holds a rider whose own record names no station.
        var station = await DefineStationAsync(seats: 5, chargingPorts: 1);
        var stationGrain = fixture.Client.GetGrain<IStationGrain>(station.Id);
        var ghostId = $"ghost-{Guid.NewGuid():N}";
        await stationGrain.AdmitAsync(ghostId, charging: false);
        var present = fixture.Client.GetGrain<IRiderGrain>($"present-{Guid.NewGuid():N}");
        await present.CheckInAsync(station.Id, false);

        var ghostReleased = await Eventually.TrueAsync(async () => !(await stationGrain.GetPresentRidersAsync()).Contains(ghostId), seconds: 5);

        Assert.True(ghostReleased, "the left-behind occupant was not released by the sweep");
        // The rider that really is there stays until its time-to-live (6 s in the fixture).
        Assert.Contains(present.GetPrimaryKeyString(), await stationGrain.GetPresentRidersAsync());
    }

    [Fact]
    public async Task AForgottenCheckInExpiresEvenAfterTheStationsSiloDied()
    {
        var station = await DefineStationAsync(seats: 1, chargingPorts: 1);
        var stationGrain = fixture.Client.GetGrain<IStationGrain>(station.Id);
        await fixture.Client.GetGrain<IRiderGrain>($"forgetful-{Guid.NewGuid():N}").CheckInAsync(station.Id, false);
        var host = await fixture.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(stationGrain);

        await fixture.Cluster.KillSiloAsync(fixture.Cluster.Silos.Single(s => s.SiloAddress.Equals(host)));
        try
        {
            // Read the row, not the grain: a call would reactivate the station and hide whether the reminder fired.
            var freed = await Eventually.TrueAsync(async () => (await ReadStoredStationAsync(station.Id)).Present.Count == 0, seconds: 45);
            Assert.True(freed, "the seat was not freed after the silo died");
        }
        finally
        {
            await fixture.Cluster.StartAdditionalSiloAsync();
        }
    }

    [Fact]
    public async Task TheCalendarForgetsActivitiesThatEndedLongerAgoThanTheRetention()
    {
        var definition = await DefineStationAsync(seats: 4, chargingPorts: 0);
        var station = fixture.Client.GetGrain<IStationGrain>(definition.Id);
        var retention = TimeSpan.FromDays(30); // the default
        var now = DateTimeOffset.UtcNow;
        // Still inside the retention when added, outside it two seconds later.
        var aging = new StationActivity($"aging-{Guid.NewGuid():N}", now - retention - TimeSpan.FromHours(1), now - retention + TimeSpan.FromSeconds(2));
        var old = new StationActivity($"old-{Guid.NewGuid():N}", now.AddDays(-32), now.AddDays(-31));
        var recent = new StationActivity($"recent-{Guid.NewGuid():N}", now.AddDays(-2), now.AddDays(-1));
        var coming = new StationActivity($"coming-{Guid.NewGuid():N}", now.AddDays(1), now.AddDays(2));
        await station.AddActivityAsync(aging);
        await station.AddActivityAsync(recent);
        Assert.Contains(aging.Id, (await ReadStoredStationAsync(definition.Id)).Activities.Keys);

        await Task.Delay(TimeSpan.FromSeconds(3));
        await station.AddActivityAsync(old);
        await station.AddActivityAsync(coming);

        string[] kept = [coming.Id, recent.Id]; // "coming-" sorts before "recent-"
        Assert.Equal(kept, (await station.ListActivitiesAsync(now.AddDays(-90), null)).Select(a => a.Id).Order(StringComparer.Ordinal));
        Assert.Equal(kept, (await ReadStoredStationAsync(definition.Id)).Activities.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AStaleCopyOfAStationNeverAnswersFromMemoryWhatAnotherActivationChanged()
    {
        // A partition can leave a second activation of a station running for a while; its writes reach the row, not this copy.
        var definition = await DefineStationAsync(seats: 4, chargingPorts: 0);
        var station = fixture.Client.GetGrain<IStationGrain>(definition.Id);
        var admittedHere = $"here-{Guid.NewGuid():N}";
        var admittedElsewhere = $"elsewhere-{Guid.NewGuid():N}";
        await station.AdmitAsync(admittedHere, charging: false);
        await WriteAsAnotherActivationAsync(station, s =>
        {
            s.Present.Remove(admittedHere);
            s.Present[admittedElsewhere] = new CheckIn(definition.Id, DateTimeOffset.UtcNow, false);
        });

        await Assert.ThrowsAsync<StorageUnavailableException>(() => station.ReleaseAsync(admittedElsewhere));
        var release = await station.ReleaseAsync(admittedElsewhere);
        var secondCheckIn = (await station.AdmitAsync(admittedElsewhere, charging: false)).CheckIn!;
        await WriteAsAnotherActivationAsync(station, s => s.Present.Remove(admittedElsewhere));
        await Assert.ThrowsAsync<StorageUnavailableException>(() => station.AdmitAsync(admittedElsewhere, charging: false));
        var readmission = await station.AdmitAsync(admittedElsewhere, charging: false);

        Assert.Equal(CheckOutStatus.CheckedOut, release.Status);
        Assert.Equal(CheckInStatus.Admitted, readmission.Status);
        var stored = await ReadStoredStationAsync(definition.Id);
        Assert.Equal([admittedElsewhere], stored.Present.Keys);
        Assert.Equal(readmission.CheckIn, stored.Present[admittedElsewhere]);
        Assert.NotEqual(secondCheckIn, readmission.CheckIn);
    }

    /// <summary>Changes the station's stored row the way a second activation of it would, leaving the live activation's copy behind.</summary>
    private async Task WriteAsAnotherActivationAsync(IStationGrain station, Action<StationState> change)
    {
        var silo = fixture.Cluster.GetActiveSilos().OfType<InProcessSiloHandle>().First();
        var storage = silo.ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.Batched);
        var row = new GrainState<StationState>();
        await storage.ReadStateAsync("station", station.GetGrainId(), row);
        change(row.State!);
        await storage.WriteStateAsync("station", station.GetGrainId(), row);
    }

    private async Task<StationDefinition> DefineStationAsync(int seats, int chargingPorts)
    {
        var id = $"test-{Guid.NewGuid():N}";
        var offset = Random.Shared.NextDouble() * 0.01;
        var definition = new StationDefinition(id, $"Test station {id}", "test", TestLat + offset, TestLon + offset, true, seats, chargingPorts, 2, ["hot_water"]);
        await fixture.Client.GetGrain<IStationGrain>(id).DefineAsync(definition);
        // Refusals offer nearby alternatives: wait until every silo's index copy lists the new station (a new cell takes up
        // to the cache time), as a full station asks the copy of whichever silo it lives on.
        var copies = fixture.Cluster.GetActiveSilos().OfType<InProcessSiloHandle>().Select(s => s.ServiceProvider.GetRequiredService<StationIndexCopy>());
        var query = new NearbyQuery(definition.Lat, definition.Lon, 1, 50, StationNeed.Any);
        foreach (var copy in copies)
        {
            Assert.True(await Eventually.TrueAsync(async () => (await copy.FindNearbyAsync(query)).Any(s => s.Id == id), seconds: 10));
        }
        return definition;
    }

    private async Task<StationState> ReadStoredStationAsync(string stationId)
    {
        await using var connection = new NpgsqlConnection(fixture.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT payloadbinary FROM orleansstorage WHERE graintypestring = 'station' AND grainidextensionstring = @id", connection);
        command.Parameters.AddWithValue("id", stationId);
        var payload = (byte[])(await command.ExecuteScalarAsync())!;
        var serializer = new OrleansGrainStorageSerializer(fixture.Client.ServiceProvider.GetRequiredService<Serializer>());
        return serializer.Deserialize<StationState>(new BinaryData(payload))!;
    }
}
