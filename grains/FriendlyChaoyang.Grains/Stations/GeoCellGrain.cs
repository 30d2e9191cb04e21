using FriendlyChaoyang.Persistence;
using Orleans.Concurrency;

namespace FriendlyChaoyang.Stations;

/// <summary>
/// One cell of the station index. Stations push their snapshot after every committed change; the cell stores only
/// membership and positions (it writes when a station joins or moves) and keeps free counts in memory, because
/// the station grains own those and re-publish them whenever they activate.
/// </summary>
[Reentrant]
public sealed class GeoCellGrain(
    [PersistentState("geocell", StorageNames.Default)] IPersistentState<GeoCellState> state) : Grain, IGeoCellGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Stored free counts may be stale; ask each station for its live view (they answer after activating).
        foreach (var id in state.State.Stations.Keys)
        {
            RefreshAsync(id).Ignore();
        }
        return Task.CompletedTask;
    }

    public async Task UpsertAsync(StationSnapshot station)
    {
        ArgumentNullException.ThrowIfNull(station);
        var known = state.State.Stations.TryGetValue(station.Id, out var previous);
        state.State.Stations[station.Id] = station;
        if (!known || previous!.Lat != station.Lat || previous.Lon != station.Lon || previous.Name != station.Name
            || previous.Seats.Total != station.Seats.Total || previous.Charging.Total != station.Charging.Total)
        {
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<NearbyStation>> QueryAsync(NearbyQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        IReadOnlyList<NearbyStation> found = [.. state.State.Stations.Values
            .Where(s => s.Id != query.ExcludeStationId && StationFinder.HasRoomFor(s, query.Need))
            .Select(s => StationFinder.ToNearby(s, GeoMath.DistanceM(query.Lat, query.Lon, s.Lat, s.Lon)))
            .Where(s => s.DistanceM <= query.RadiusM)
            .OrderBy(s => s.DistanceM)
            .ThenBy(s => s.Id, StringComparer.Ordinal)
            .Take(query.Limit)];
        return Task.FromResult(found);
    }

    private async Task RefreshAsync(string stationId)
    {
        if (await GrainFactory.GetGrain<IStationGrain>(stationId).GetAsync() is { } snapshot)
        {
            state.State.Stations[stationId] = snapshot;
        }
    }
}
