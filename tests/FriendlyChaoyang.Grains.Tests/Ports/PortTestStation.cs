using FriendlyChaoyang.Ports;
using FriendlyChaoyang.Stations;
using FriendlyChaoyang.Testing;

namespace FriendlyChaoyang.Tests.Ports;

/// <summary>A fresh station for port tests, far from the seeds (Huairou) so nearby searches over Chaoyang never see it.</summary>
public sealed record PortTestStation(ClusterFixture Fixture, StationDefinition Definition)
{
    public string Id => Definition.Id;

    public IStationPortsGrain Ports => Fixture.Client.GetGrain<IStationPortsGrain>(Id);

    public IStationGrain Station => Fixture.Client.GetGrain<IStationGrain>(Id);

    public static async Task<PortTestStation> DefineAsync(ClusterFixture fixture, int seats = 20, int chargingPorts = 2, int swapPorts = 4)
    {
        var id = $"ports-{Guid.NewGuid():N}";
        var offset = Random.Shared.NextDouble() * 0.01;
        var definition = new StationDefinition(id, $"Port test {id}", "test", 40.45 + offset, 116.65 + offset, true, seats, chargingPorts, swapPorts, []);
        await fixture.Client.GetGrain<IStationGrain>(id).DefineAsync(definition);
        var station = new PortTestStation(fixture, definition);
        Assert.True(await Eventually.TrueAsync(async () => await station.NearbyAsync() is not null, seconds: 10), "the station never reached the index");
        return station;
    }

    public async Task<StationSnapshot> GetAsync() => (await Station.GetAsync())!;

    /// <summary>This station as a nearby search shows it.</summary>
    public async Task<NearbyStation?> NearbyAsync() =>
        (await Fixture.Client.GetGrain<IStationFinderGrain>(0).FindNearbyAsync(new NearbyQuery(Definition.Lat, Definition.Lon, 1, 50, StationNeed.Any)))
            .SingleOrDefault(s => s.Id == Id);

    public Task<PortFeedResult> SnapshotAsync(string owner, params PortReport[] reports) => Ports.ReportAsync(owner, PortFeedMode.Snapshot, reports);

    public Task<PortFeedResult> DeltaAsync(string owner, params PortReport[] reports) => Ports.ReportAsync(owner, PortFeedMode.Delta, reports);

    public static PortReport Swap(string portId, PortStatus status, DateTimeOffset at) => new(portId, PortKind.Swap, null, "48v-20ah", status, at);

    public static PortReport Charging(string portId, PortStatus status, DateTimeOffset at) => new(portId, PortKind.Charging, "gb-t", null, status, at);

    /// <summary>Registers <paramref name="charged"/> charged swap slots s0, s1, ... for the owner.</summary>
    public async Task<DateTimeOffset> ChargedSlotsAsync(string owner, int charged)
    {
        var at = DateTimeOffset.UtcNow;
        var result = await SnapshotAsync(owner, [.. Enumerable.Range(0, charged).Select(i => Swap($"s{i}", PortStatus.Charged, at))]);
        Assert.Equal(PortFeedStatus.Applied, result.Status);
        return at;
    }
}
