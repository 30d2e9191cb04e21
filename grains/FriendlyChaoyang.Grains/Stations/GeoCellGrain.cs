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

    // Which station changed when, in this activation's memory only: a copy holding a version of an earlier activation
    // (or of an epoch a removal ended) gets the whole cell.
    private Guid _epoch = Guid.NewGuid();
    private long _version;
    private readonly Dictionary<string, long> _changedAt = [];

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
            Put(station);
            return;
        }
        _commit.MarkChanged();
        Put(station);
        await _commit.WhenDurableAsync();
    }

    public async Task RemoveAsync(string stationId)
    {
        if (state.State.Stations.ContainsKey(stationId))
        {
            _commit.MarkChanged();
            state.State.Stations.Remove(stationId);
            _changedAt.Remove(stationId);
            _epoch = Guid.NewGuid(); // rare (a station moved away): every copy re-reads the cell whole
        }
        await _commit.WhenDurableAsync();
    }

    public Task<CellChanges> ChangesSinceAsync(CellVersion? since)
    {
        var whole = since is null || since.Epoch != _epoch;
        IReadOnlyList<StationSnapshot> stations = whole
            ? [.. state.State.Stations.Values]
            : [.. state.State.Stations.Values.Where(s => _changedAt.GetValueOrDefault(s.Id) > since!.Version)];
        return Task.FromResult(new CellChanges(new CellVersion(_epoch, _version), whole, stations));
    }

    private void Put(StationSnapshot station)
    {
        state.State.Stations[station.Id] = station;
        _changedAt[station.Id] = ++_version;
    }

    private async Task RefreshAsync(string stationId)
    {
        var asked = _version;
        var snapshot = await GrainFactory.GetGrain<IStationGrain>(stationId).GetAsync();
        // A snapshot the station pushed while it was being asked may be newer than its answer (the answer can be queued
        // behind the push here, this grain being reentrant), and the station will not push that change again; a station
        // that left this cell meanwhile stays out.
        if (snapshot is not null && state.State.Stations.ContainsKey(stationId) && _changedAt.GetValueOrDefault(stationId) <= asked)
        {
            Put(snapshot);
        }
    }
}
