using System.Collections.Frozen;
using FriendlyChaoyang.Geo;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FriendlyChaoyang.Stations;

/// <summary>
/// One process's copy of the whole station index (every occupied geo cell's stations: 791 in Chaoyang, a few hundred
/// KB), which nearby searches are answered from without a grain call per cell: in the REST API (a rider's nearby, no
/// grain call at all) and in each silo (the finder grain: a full station's alternatives, activities near a rider).
/// The copy is at most <see cref="StationIndexOptions.NearbyCopyMaxAge"/> old when a search starts; older than that, the
/// search still uses it while one refresh asks every cell for what changed since, unless it is more than
/// <see cref="IdleAges"/> times that old (a process that had no searches for a while): then the search waits for the
/// refresh. So under load nearby answers lag the stations by about the station's publish interval plus that age, and no
/// search waits on the cells: a refresh held up by a busy process makes answers a little older, not every search slower.
/// </summary>
public sealed class StationIndexCopy(
    IGrainFactory grains, OccupiedCells occupied, IOptions<StationIndexOptions> options, TimeProvider clock, ILogger<StationIndexCopy> logger)
{
    /// <summary>
    /// How many max ages old a copy may be and still answer while it is refreshed. It bounds how stale the first answer
    /// after a quiet spell may be (200 ms): 20 (1 s) was tried against stalls in the nearby probe, did not remove them,
    /// and let a rider see a count a second old after a pause.
    /// </summary>
    private const int IdleAges = 4;

    /// <summary>One cell as last read: its version (to ask for what changed since) and its stations by id (never changed once built).</summary>
    private sealed record CellCopy(CellVersion Version, Dictionary<string, IndexedStation> Stations)
    {
        public static CellCopy Apply(CellCopy? before, CellChanges changes)
        {
            if (before is not null && !changes.Whole && changes.Stations.Count == 0)
            {
                return before with { Version = changes.Version };
            }
            var stations = before is null || changes.Whole ? [] : new Dictionary<string, IndexedStation>(before.Stations, StringComparer.Ordinal);
            foreach (var station in changes.Stations)
            {
                stations[station.Id] = new IndexedStation(station, SpherePoint.FromDegrees(station.Lat, station.Lon));
            }
            return new CellCopy(changes.Version, stations);
        }
    }

    /// <summary>A station with its position as a vector, computed once per change instead of per search.</summary>
    private sealed record IndexedStation(StationSnapshot Snapshot, SpherePoint Point);

    private sealed record Copy(long TakenAt, FrozenDictionary<string, CellCopy> Cells);

    private readonly Lock _lock = new();
    private Copy? _current;
    private Task<Copy>? _refreshing;

    /// <summary>The stations of the cells covering the radius (inside the service area), nearest first.</summary>
    public async ValueTask<IReadOnlyList<NearbyStation>> FindNearbyAsync(NearbyQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var radiusM = Math.Min(query.RadiusM, NearbyLimits.MaxRadiusM);
        var covering = GeoGrid.CellsCovering(query.Lat, query.Lon, radiusM);
        if (covering.Count == 0 || query.Limit <= 0)
        {
            return []; // far from any station: no cell, no copy needed
        }
        var cells = await CellsAsync();
        var from = SpherePoint.FromDegrees(query.Lat, query.Lon);
        var within = SpherePoint.ChordSquaredOf(radiusM);
        var nearest = new NearestFirst(query.Limit);
        foreach (var key in covering)
        {
            if (!cells.TryGetValue(key, out var cell))
            {
                continue;
            }
            foreach (var (station, point) in cell.Stations.Values)
            {
                var chordSquared = from.ChordSquaredTo(point);
                if (chordSquared <= within && station.Id != query.ExcludeStationId && station.HasRoomFor(query.Need))
                {
                    nearest.Offer(chordSquared, station);
                }
            }
        }
        return nearest.ToList();
    }

    /// <summary>
    /// The nearest stations seen so far, at most the query's limit, nearest first (ties by id): a 3 km search in the centre
    /// passes a hundred or more stations and keeps ten, so only those ten become results.
    /// </summary>
    private sealed class NearestFirst(int limit)
    {
        private readonly List<(double ChordSquared, StationSnapshot Station)> _kept = [];

        public void Offer(double chordSquared, StationSnapshot station)
        {
            var at = _kept.Count;
            while (at > 0 && Before(chordSquared, station, _kept[at - 1]))
            {
                at--;
            }
            if (at == limit)
            {
                return; // no nearer than the farthest kept
            }
            if (_kept.Count == limit)
            {
                _kept.RemoveAt(limit - 1);
            }
            _kept.Insert(at, (chordSquared, station));
        }

        public IReadOnlyList<NearbyStation> ToList() =>
        [
            .. _kept.Select(k => new NearbyStation(k.Station.Id, k.Station.Name, k.Station.SubdistrictId, k.Station.Lat, k.Station.Lon,
                SpherePoint.DistanceM(k.ChordSquared), k.Station.Open24h, k.Station.Seats, k.Station.Charging, k.Station.Swap)),
        ];

        private static bool Before(double chordSquared, StationSnapshot station, (double ChordSquared, StationSnapshot Station) kept) =>
            chordSquared < kept.ChordSquared
            || (chordSquared == kept.ChordSquared && string.CompareOrdinal(station.Id, kept.Station.Id) < 0);
    }

    /// <summary>The cells that have stations, by key.</summary>
    private async ValueTask<FrozenDictionary<string, CellCopy>> CellsAsync()
    {
        var maxAge = options.Value.NearbyCopyMaxAge;
        if (Volatile.Read(ref _current) is { } current)
        {
            var age = clock.GetElapsedTime(current.TakenAt);
            if (age <= maxAge)
            {
                return current.Cells;
            }
            if (age <= maxAge * IdleAges)
            {
                RefreshAsync().Ignore(); // logged in ReadCellsAsync
                return current.Cells;
            }
        }
        return (await RefreshAsync()).Cells;
    }

    /// <summary>One refresh at a time per process, shared by every search that needs it.</summary>
    private Task<Copy> RefreshAsync()
    {
        lock (_lock)
        {
            // Run outside the calling grain's scheduler (in a silo): the copy belongs to the process, not to the finder
            // activation that happened to start the refresh.
            return _refreshing ??= Task.Run(ReadCellsAsync);
        }
    }

    private async Task<Copy> ReadCellsAsync()
    {
        try
        {
            var taken = clock.GetTimestamp();
            var before = Volatile.Read(ref _current)?.Cells;
            var keys = await occupied.GetAsync();
            // Each cell sends only the stations that changed since this copy last read it: under a lunch peak a few dozen
            // a refresh instead of all 791.
            var cells = await Task.WhenAll(keys.Select(async key =>
            {
                var cell = before?.GetValueOrDefault(key);
                var changes = await grains.GetGrain<IGeoCellGrain>(key).ChangesSinceAsync(cell?.Version);
                return KeyValuePair.Create(key, CellCopy.Apply(cell, changes));
            }));
            var copy = new Copy(taken, cells.ToFrozenDictionary(StringComparer.Ordinal));
            Volatile.Write(ref _current, copy);
            return copy;
        }
        catch (Exception ex)
        {
            // A search that waited sees the failure; one that used the older copy meanwhile triggers the next attempt.
            logger.LogWarning(ex, "Could not refresh this process's copy of the station index");
            throw;
        }
        finally
        {
            lock (_lock)
            {
                _refreshing = null;
            }
        }
    }
}
