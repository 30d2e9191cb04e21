using FriendlyChaoyang.Ports;
using FriendlyChaoyang.Riders;
using FriendlyChaoyang.Stations;
using FriendlyChaoyang.Testing;
using static FriendlyChaoyang.Tests.Ports.PortTestStation;

namespace FriendlyChaoyang.Tests.Ports;

[Collection(ClusterCollection.Name)]
public sealed class PortFeedTests(ClusterFixture fixture)
{
    private const string Owner = "eleme";

    [Fact]
    public async Task AnOlderReportNeverOverwritesANewerOneAndIsCountedAsIgnored()
    {
        var station = await DefineAsync(fixture);
        var now = DateTimeOffset.UtcNow;
        await station.SnapshotAsync(Owner, Swap("s0", PortStatus.Charged, now), Swap("s1", PortStatus.Charged, now));

        var late = await station.DeltaAsync(Owner, Swap("s0", PortStatus.Empty, now.AddSeconds(-1)), Swap("s1", PortStatus.Empty, now.AddSeconds(1)));
        var repeated = await station.DeltaAsync(Owner, Swap("s1", PortStatus.Empty, now.AddSeconds(1)));

        Assert.Equal(new PortFeedResult(PortFeedStatus.Applied, 1, 1), late);
        Assert.Equal(new PortFeedResult(PortFeedStatus.Applied, 0, 1), repeated);
        var swap = (await station.GetAsync()).Swap;
        Assert.Equal(2, swap.Total);
        Assert.Equal(1, swap.Free);
    }

    [Fact]
    public async Task APortSilentPastTheConfiguredAgeCountsAsUnknownInTheTotalButNotFree()
    {
        var station = await DefineAsync(fixture);
        var at = await station.ChargedSlotsAsync(Owner, 3);
        Assert.Equal(3, (await station.GetAsync()).Swap.Free);
        Assert.Equal(at, (await station.GetAsync()).Swap.FreshAt);

        // The test cluster counts a report as current for 4 s; the station's refresh timer then updates the index too.
        // (Total 3: the feed's ports, not an older copy of the index still showing the definition's.)
        var stale = await Eventually.ReadAsync(station.NearbyAsync, s => s!.Swap.Free == 0 && s.Swap.Total == 3, seconds: 10);

        Assert.Equal(0, stale!.Swap.Free);
        Assert.Equal(3, stale.Swap.Total);
        Assert.Null(stale.Swap.FreshAt);
        var direct = (await station.GetAsync()).Swap;
        Assert.Equal((3, 0), (direct.Total, direct.Free));
    }

    [Fact]
    public async Task AReportAlreadyStaleWhenItArrivesIsNeverCountedFree()
    {
        var station = await DefineAsync(fixture);

        await station.SnapshotAsync(Owner, Swap("s0", PortStatus.Charged, DateTimeOffset.UtcNow - ClusterFixture.PortStaleAfter - TimeSpan.FromSeconds(1)));

        Assert.Equal((1, 0), ((await station.GetAsync()).Swap.Total, (await station.GetAsync()).Swap.Free));
    }

    [Fact]
    public async Task ASnapshotRegistersAndDropsPortsWhileADeltaUpdatesOnlyRegisteredOnes()
    {
        var station = await DefineAsync(fixture);
        var t = DateTimeOffset.UtcNow.AddSeconds(-2);
        await station.SnapshotAsync(Owner, Swap("s0", PortStatus.Charged, t), Swap("s1", PortStatus.Charged, t), Swap("s2", PortStatus.Charged, t));

        var delta = await station.DeltaAsync(Owner, Swap("s1", PortStatus.Empty, t.AddSeconds(1)));
        Assert.Equal((3, 2), ((await station.GetAsync()).Swap.Total, (await station.GetAsync()).Swap.Free));

        var unknownInDelta = await station.DeltaAsync(Owner, Swap("s0", PortStatus.Empty, t.AddSeconds(1)), Swap("s9", PortStatus.Charged, t.AddSeconds(1)));
        var kindChanged = await station.DeltaAsync(Owner, Charging("s0", PortStatus.Available, t.AddSeconds(1)));
        Assert.Equal(new PortFeedResult(PortFeedStatus.UnknownPort, 0, 0, 1), unknownInDelta);
        Assert.Equal(PortFeedStatus.KindChanged, kindChanged.Status);
        Assert.Equal((3, 2), ((await station.GetAsync()).Swap.Total, (await station.GetAsync()).Swap.Free));

        var snapshot = await station.SnapshotAsync(Owner, Swap("s0", PortStatus.Charged, t.AddSeconds(2)), Charging("c0", PortStatus.Available, t.AddSeconds(2)));

        Assert.Equal(new PortFeedResult(PortFeedStatus.Applied, 2, 0), snapshot);
        var view = await station.GetAsync();
        Assert.Equal((1, 1), (view.Swap.Total, view.Swap.Free));
        Assert.Equal((1, 1), (view.Charging.Total, view.Charging.Free));
    }

    [Fact]
    public async Task AnotherPartnerCannotReportAPortItDoesNotOwnAndChangesNothing()
    {
        var station = await DefineAsync(fixture);
        var t = DateTimeOffset.UtcNow;
        await station.SnapshotAsync(Owner, Swap("s0", PortStatus.Charged, t));

        var intruder = await station.SnapshotAsync("meituan", Swap("m0", PortStatus.Charged, t), Swap("s0", PortStatus.Empty, t.AddSeconds(1)));
        var ownSnapshot = await station.SnapshotAsync("meituan", Swap("m0", PortStatus.Charged, t));

        Assert.Equal(new PortFeedResult(PortFeedStatus.NotYourPort, 0, 0, 1), intruder);
        Assert.Equal(PortFeedStatus.Applied, ownSnapshot.Status);
        // The other partner's snapshot leaves eleme's port alone.
        Assert.Equal((2, 2), ((await station.GetAsync()).Swap.Total, (await station.GetAsync()).Swap.Free));
    }

    [Fact]
    public async Task AReportFromTooFarInTheFutureIsRefused()
    {
        var station = await DefineAsync(fixture);

        var result = await station.SnapshotAsync(Owner, Swap("s0", PortStatus.Charged, DateTimeOffset.UtcNow.AddHours(1)));

        Assert.Equal(PortFeedStatus.AtInFuture, result.Status);
        // Still no port registered: the seeded slots, none known to hold a charged battery.
        var swap = (await station.GetAsync()).Swap;
        Assert.Equal((station.Definition.SwapPorts, 0, null), (swap.Total, swap.Free, swap.FreshAt));
    }

    [Fact]
    public async Task AnUndefinedStationTakesNoFeed()
    {
        var result = await fixture.Client.GetGrain<IStationPortsGrain>($"nowhere-{Guid.NewGuid():N}")
            .ReportAsync(Owner, PortFeedMode.Snapshot, [Swap("s0", PortStatus.Charged, DateTimeOffset.UtcNow)]);

        Assert.Equal(PortFeedStatus.UnknownStation, result.Status);
    }

    [Fact]
    public async Task ManyFeedUpdatesCostAFewSnapshotWritesNotOnePerUpdate()
    {
        var station = await DefineAsync(fixture);
        var start = DateTimeOffset.UtcNow;
        await station.ChargedSlotsAsync(Owner, 20);

        for (var i = 1; i <= 100; i++)
        {
            await station.DeltaAsync(Owner, Swap($"s{i % 20}", i % 2 == 0 ? PortStatus.Charged : PortStatus.Empty, start.AddMilliseconds(i)));
        }
        var version = await Eventually.ReadAsync(() => StoredVersionAsync(station.Id), v => v > 0, seconds: 10);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var elapsed = DateTimeOffset.UtcNow - start;

        // The test cluster snapshots at most every 2 s (plus one write when the station deactivates).
        Assert.InRange(await StoredVersionAsync(station.Id), 1, (int)(elapsed.TotalSeconds / 2) + 2);
        Assert.True(version > 0);
    }

    [Fact]
    public async Task AfterItsSiloDiesAStationReloadsItsPortsAsUnknownUntilTheNextFeed()
    {
        var station = await DefineAsync(fixture);
        var at = await station.ChargedSlotsAsync(Owner, 3);
        Assert.True(await Eventually.TrueAsync(async () => await StoredVersionAsync(station.Id) > 0, seconds: 10), "no snapshot was written");
        var host = await fixture.HostOfAsync(station.Station);

        await fixture.Cluster.KillSiloAsync(fixture.Cluster.Silos.Single(s => s.SiloAddress.Equals(host)));
        try
        {
            var reloaded = (await station.GetAsync()).Swap;
            Assert.Equal((3, 0), (reloaded.Total, reloaded.Free));

            var confirmed = await station.DeltaAsync(Owner, Swap("s0", PortStatus.Charged, at), Swap("s1", PortStatus.Charged, at.AddSeconds(1)));

            Assert.Equal(new PortFeedResult(PortFeedStatus.Applied, 1, 1), confirmed);
            Assert.Equal(2, (await station.GetAsync()).Swap.Free);
        }
        finally
        {
            await fixture.Cluster.StartAdditionalSiloAsync();
        }
    }

    [Fact]
    public async Task ACheckInToChargeNeedsAPortTheFeedReportsFree()
    {
        // Seeded with 2 charging ports, but the operator reports one available and one out of order.
        var station = await DefineAsync(fixture, chargingPorts: 2);
        var t = DateTimeOffset.UtcNow;
        await station.SnapshotAsync(Owner, Charging("c0", PortStatus.Available, t), Charging("c1", PortStatus.OutOfOrder, t));
        var prefix = Guid.NewGuid().ToString("N");

        var first = await fixture.Client.GetGrain<IRiderGrain>($"{prefix}-1").CheckInAsync(station.Id, charging: true);
        var second = await fixture.Client.GetGrain<IRiderGrain>($"{prefix}-2").CheckInAsync(station.Id, charging: true);
        // The first rider's plug shows up in the feed: still one port taken, not two.
        await station.DeltaAsync(Owner, Charging("c0", PortStatus.Occupied, t.AddSeconds(1)), Charging("c1", PortStatus.Available, t.AddSeconds(1)));
        var third = await fixture.Client.GetGrain<IRiderGrain>($"{prefix}-3").CheckInAsync(station.Id, charging: true);

        Assert.Equal(CheckInStatus.Admitted, first.Status);
        Assert.Equal(CheckInStatus.NoFreeChargingPort, second.Status);
        Assert.Equal(CheckInStatus.Admitted, third.Status);
        Assert.Equal((2, 0), ((await station.GetAsync()).Charging.Total, (await station.GetAsync()).Charging.Free));
    }

    private Task<int> StoredVersionAsync(string stationId) => fixture.Database.ScalarAsync<int>(
        $"SELECT coalesce(max(version), 0) FROM orleansstorage WHERE graintypestring = 'stationports' AND grainidextensionstring = '{stationId}'");
}
