using FriendlyChaoyang.Ports;
using FriendlyChaoyang.Riders;
using FriendlyChaoyang.Stations;
using FriendlyChaoyang.Testing;
using static FriendlyChaoyang.Tests.Ports.PortTestStation;

namespace FriendlyChaoyang.Tests.Ports;

[Collection(ClusterCollection.Name)]
public sealed class PortReservationTests(ClusterFixture fixture)
{
    private const string Owner = "meituan";

    [Fact]
    public async Task AReservationHoldsABatteryThatIsNotOfferedToOthersUntilItExpires()
    {
        var station = await DefineAsync(fixture);
        await KeepReportingAsync(station, charged: 1, async () =>
        {
            var holder = Rider();
            var reserved = await holder.ReserveAsync(station.Id, PortKind.Swap);
            var other = await Rider().ReserveAsync(station.Id, PortKind.Swap);

            Assert.Equal(ReservationStatus.Reserved, reserved.Status);
            Assert.Equal("s0", reserved.Reservation!.PortId);
            Assert.Equal(ReservationStatus.NoneFree, other.Status);
            Assert.Equal(0, (await station.GetAsync()).Swap.Free);

            // Nearby answers from a copy of the index that may be a moment old: first see it taken there too.
            Assert.NotNull(await Eventually.ReadAsync(station.NearbyAsync, s => s!.Swap.Free == 0, seconds: 5));
            // The test cluster holds reservations for 10 s; the station's timer frees the battery on time.
            var freed = await Eventually.ReadAsync(station.NearbyAsync, s => s!.Swap.Free == 1, seconds: 20);
            Assert.Equal(1, freed!.Swap.Free);
            Assert.Null(await station.Ports.GetReservationOfAsync(holder.GetPrimaryKeyString()));
            Assert.Equal(ReservationStatus.Reserved, (await Rider().ReserveAsync(station.Id, PortKind.Swap)).Status);
        });
        var log = await Eventually.ReadAsync(() => PartnerLogAsync(station.Id), l => l.Any(r => r.Status == PartnerReservationStatus.Expired));
        Assert.Contains(log, r => r.Status == PartnerReservationStatus.Expired && r.PortId == "s0");
    }

    [Fact]
    public async Task ReleasingAReservationFreesThePortAtOnceAndThePartnerSeesIt()
    {
        var station = await DefineAsync(fixture);
        await station.ChargedSlotsAsync(Owner, 2);
        var rider = Rider();
        var reserved = (await rider.ReserveAsync(station.Id, PortKind.Swap)).Reservation!;
        Assert.Equal(1, (await station.GetAsync()).Swap.Free);

        Assert.True(await rider.ReleaseAsync(station.Id, reserved.Id));
        Assert.False(await rider.ReleaseAsync(station.Id, reserved.Id));

        Assert.Equal(2, (await station.GetAsync()).Swap.Free);
        var log = await Eventually.ReadAsync(() => PartnerLogAsync(station.Id), l => l.Any(r => r.Id == reserved.Id && r.Status == PartnerReservationStatus.Released));
        Assert.Contains(log, r => r.Id == reserved.Id && r.Status == PartnerReservationStatus.Released);
    }

    [Fact]
    public async Task ARiderCannotHoldTwoReservationsAtOnceEvenAtTwoStations()
    {
        var a = await DefineAsync(fixture);
        var b = await DefineAsync(fixture);
        await a.ChargedSlotsAsync(Owner, 2);
        await b.ChargedSlotsAsync(Owner, 2);
        var rider = Rider();

        var results = await Task.WhenAll(
            rider.ReserveAsync(a.Id, PortKind.Swap), rider.ReserveAsync(b.Id, PortKind.Swap), rider.ReserveAsync(a.Id, PortKind.Swap));

        Assert.Single(results, r => r.Status == ReservationStatus.Reserved);
        Assert.Equal(2, results.Count(r => r.Status == ReservationStatus.AlreadyHolding));
        Assert.Equal(3, (await a.GetAsync()).Swap.Free + (await b.GetAsync()).Swap.Free);
    }

    [Fact]
    public async Task ConcurrentReservationsForFiveBatteriesHoldExactlyFive()
    {
        var station = await DefineAsync(fixture);
        await station.ChargedSlotsAsync(Owner, 5);

        var results = await Task.WhenAll(Enumerable.Range(0, 60).Select(_ => Rider().ReserveAsync(station.Id, PortKind.Swap)));

        var held = results.Where(r => r.Status == ReservationStatus.Reserved).Select(r => r.Reservation!.PortId).ToList();
        Assert.Equal(5, held.Count);
        Assert.Equal(5, held.Distinct().Count());
        Assert.All(results.Where(r => r.Status != ReservationStatus.Reserved), r => Assert.Equal(ReservationStatus.NoneFree, r.Status));
        Assert.Equal(0, (await station.GetAsync()).Swap.Free);
    }

    [Fact]
    public async Task AReservationSurvivesTheDeathOfItsStationsSiloAndIsStillReleasedOnTime()
    {
        var station = await DefineAsync(fixture);
        await station.ChargedSlotsAsync(Owner, 2);
        var rider = Rider();
        var reserved = (await rider.ReserveAsync(station.Id, PortKind.Swap)).Reservation!;
        var host = await fixture.HostOfAsync(station.Station);

        await fixture.Cluster.KillSiloAsync(fixture.Cluster.Silos.Single(s => s.SiloAddress.Equals(host)));
        try
        {
            // Acknowledged, so stored: the reloaded station still holds it for the rider, who cannot take a second one.
            Assert.Equal(reserved, await station.Ports.GetReservationOfAsync(rider.GetPrimaryKeyString()));
            Assert.Equal(ReservationStatus.AlreadyHolding, (await rider.ReserveAsync(station.Id, PortKind.Swap)).Status);

            var expired = await Eventually.TrueAsync(async () => await station.Ports.GetReservationOfAsync(rider.GetPrimaryKeyString()) is null, seconds: 20);
            Assert.True(expired, "the reservation was not released after the silo died");
            var log = await Eventually.ReadAsync(() => PartnerLogAsync(station.Id), l => l.Any(r => r.Id == reserved.Id && r.Status == PartnerReservationStatus.Expired));
            Assert.Contains(log, r => r.Id == reserved.Id && r.Status == PartnerReservationStatus.Expired);
        }
        finally
        {
            await fixture.Cluster.StartAdditionalSiloAsync();
        }
    }

    [Fact]
    public async Task AChargingReservationLetsItsRiderCheckInToChargeAndEndsAsUsed()
    {
        var station = await DefineAsync(fixture, chargingPorts: 1);
        await station.SnapshotAsync(Owner, Charging("c0", PortStatus.Available, DateTimeOffset.UtcNow));
        var riderId = $"charger-{Guid.NewGuid():N}";
        var reserved = (await fixture.Client.GetGrain<IRiderReservationsGrain>(riderId).ReserveAsync(station.Id, PortKind.Charging)).Reservation!;

        var stranger = await fixture.Client.GetGrain<IRiderGrain>($"stranger-{Guid.NewGuid():N}").CheckInAsync(station.Id, charging: true);
        var holder = await fixture.Client.GetGrain<IRiderGrain>(riderId).CheckInAsync(station.Id, charging: true);

        Assert.Equal(CheckInStatus.NoFreeChargingPort, stranger.Status);
        Assert.Equal(CheckInStatus.Admitted, holder.Status);
        Assert.Equal(0, (await station.GetAsync()).Charging.Free);
        var log = await Eventually.ReadAsync(() => PartnerLogAsync(station.Id), l => l.Any(r => r.Id == reserved.Id && r.Status == PartnerReservationStatus.Used));
        Assert.Contains(log, r => r.Id == reserved.Id && r.Status == PartnerReservationStatus.Used);
    }

    [Fact]
    public async Task NoFreeBatteryIsRefusedWithAlternativesThatHaveOne()
    {
        var empty = await DefineAsync(fixture);
        var neighbour = await DefineAsync(fixture);
        await empty.SnapshotAsync(Owner, Swap("s0", PortStatus.Empty, DateTimeOffset.UtcNow));
        await neighbour.ChargedSlotsAsync(Owner, 1);
        Assert.True(await Eventually.TrueAsync(async () => (await neighbour.NearbyAsync())!.Swap.Free == 1));

        var refused = await Rider().ReserveAsync(empty.Id, PortKind.Swap);

        Assert.Equal(ReservationStatus.NoneFree, refused.Status);
        Assert.NotEmpty(refused.Alternatives);
        Assert.All(refused.Alternatives, s => Assert.True(s.Swap.Free > 0 && s.Id != empty.Id));
    }

    private IRiderReservationsGrain Rider() => fixture.Client.GetGrain<IRiderReservationsGrain>($"reserver-{Guid.NewGuid():N}");

    private async Task<IReadOnlyList<PartnerReservation>> PartnerLogAsync(string stationId) =>
        [.. (await fixture.Client.GetGrain<IPartnerReservationsGrain>(Owner).ListAsync(DateTimeOffset.MinValue, 1000)).Where(r => r.StationId == stationId)];

    /// <summary>Runs <paramref name="body"/> while the operator re-reports its charged slots every second, so they never go stale.</summary>
    private static async Task KeepReportingAsync(PortTestStation station, int charged, Func<Task> body)
    {
        using var stop = new CancellationTokenSource();
        await station.ChargedSlotsAsync(Owner, charged);
        var feed = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(1000, CancellationToken.None);
                await station.ChargedSlotsAsync(Owner, charged);
            }
        });
        try
        {
            await body();
        }
        finally
        {
            await stop.CancelAsync();
            await feed;
        }
    }
}
