using FriendlyChaoyang.Persistence;
using Orleans.Concurrency;

namespace FriendlyChaoyang.Stations;

/// <summary>
/// One cell of the station index. Stations push their snapshot after every committed change; the cell stores only
/// membership and positions (it writes when a station joins or moves) and keeps free counts in memory, because
/// the station grains own those and re-publish them whenever they activate. Only cells in the
/// <see cref="IGeoCellDirectoryGrain"/> are ever asked, so a cell grain exists only where stations are. Reentrant:
/// concurrent upserts share writes through <see cref="GroupCommit"/>, which also keeps two writes from racing.
/// </summary>
[Reentrant]
public sealed class GeoCellGrain(
    [PersistentState("geocell", StorageNames.Default)] IPersistentState<GeoCellState> state) : Grain, IGeoCellGrain
{
    private GroupCommit _commit = null!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _commit = new GroupCommit(() => state.WriteOrDeactivateAsync(this));
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
        if (known && previous!.Lat == station.Lat && previous.Lon == station.Lon && previous.Name == station.Name
            && previous.Seats.Total == station.Seats.Total && previous.Charging.Total == station.Charging.Total)
        {
            // Only free counts changed: kept in memory, the station re-publishes them after a restart.
            state.State.Stations[station.Id] = station;
            return;
        }
        _commit.MarkChanged();
        state.State.Stations[station.Id] = station;
        await _commit.WhenDurableAsync();
    }

    public async Task RemoveAsync(string stationId)
    {
        if (state.State.Stations.ContainsKey(stationId))
        {
            _commit.MarkChanged();
            state.State.Stations.Remove(stationId);
        }
        await _commit.WhenDurableAsync();
    }

    public Task<IReadOnlyList<StationSnapshot>> ListAsync() =>
        Task.FromResult<IReadOnlyList<StationSnapshot>>([.. state.State.Stations.Values]);

    private async Task RefreshAsync(string stationId)
    {
        if (await GrainFactory.GetGrain<IStationGrain>(stationId).GetAsync() is { } snapshot)
        {
            state.State.Stations[stationId] = snapshot;
        }
    }
}
