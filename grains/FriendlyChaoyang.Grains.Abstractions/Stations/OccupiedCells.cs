using System.Collections.Frozen;
using Microsoft.Extensions.Options;

namespace FriendlyChaoyang.Stations;

/// <summary>
/// One process's copy of the <see cref="IGeoCellDirectoryGrain"/>, shared by its searches and re-read when
/// older than <see cref="StationIndexOptions.OccupiedCellsCacheTime"/>: a station defined in a new cell is found by every
/// search at most that long after its definition.
/// </summary>
public sealed class OccupiedCells(IGrainFactory grains, IOptions<StationIndexOptions> options, TimeProvider clock)
{
    private sealed record Snapshot(DateTimeOffset ReadAt, FrozenSet<string> Cells);

    private Snapshot? _current;

    public async ValueTask<FrozenSet<string>> GetAsync()
    {
        var now = clock.GetUtcNow();
        // Searches on several threads share this: a snapshot is immutable, and two racing re-reads are harmless.
        if (Volatile.Read(ref _current) is { } current && now - current.ReadAt < options.Value.OccupiedCellsCacheTime)
        {
            return current.Cells;
        }
        var cells = (await grains.GetGrain<IGeoCellDirectoryGrain>(0).ListAsync()).ToFrozenSet(StringComparer.Ordinal);
        Volatile.Write(ref _current, new Snapshot(now, cells));
        return cells;
    }
}
