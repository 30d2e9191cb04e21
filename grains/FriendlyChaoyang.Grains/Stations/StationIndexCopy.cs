using System.Collections.Frozen;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FriendlyChaoyang.Stations;

/// <summary>
/// One silo's copy of the whole station index (every occupied geo cell's stations: 791 in Chaoyang, a few hundred KB),
/// which its <see cref="StationFinderGrain"/> activations answer nearby searches from, without a grain call per cell.
/// The copy is at most <see cref="StationOptions.NearbyCopyMaxAge"/> old when a search starts; older than that, the
/// search still uses it while one refresh re-reads every cell in parallel, unless it is more than four times that old (a
/// silo that had no searches for a while): then the search waits for the refresh. So under load nearby answers lag the
/// stations by at most the station's publish interval plus about that age, and no search waits on the cells.
/// </summary>
public sealed class StationIndexCopy(
    IGrainFactory grains, OccupiedCells occupied, IOptions<StationOptions> options, TimeProvider clock, ILogger<StationIndexCopy> logger)
{
    private sealed record Copy(long TakenAt, FrozenDictionary<string, IReadOnlyList<StationSnapshot>> Cells);

    private readonly Lock _lock = new();
    private Copy? _current;
    private Task<Copy>? _refreshing;

    /// <summary>Stations by cell key, for the cells that have any.</summary>
    public async ValueTask<FrozenDictionary<string, IReadOnlyList<StationSnapshot>>> GetAsync()
    {
        var maxAge = options.Value.NearbyCopyMaxAge;
        if (Volatile.Read(ref _current) is { } current)
        {
            var age = clock.GetElapsedTime(current.TakenAt);
            if (age <= maxAge)
            {
                return current.Cells;
            }
            if (age <= maxAge * 4)
            {
                RefreshAsync().Ignore(); // logged in ReadCellsAsync
                return current.Cells;
            }
        }
        return (await RefreshAsync()).Cells;
    }

    /// <summary>One refresh at a time per silo, shared by every search that needs it.</summary>
    private Task<Copy> RefreshAsync()
    {
        lock (_lock)
        {
            // Run outside the calling grain's scheduler: the copy belongs to the silo, not to the finder activation
            // that happened to start the refresh.
            return _refreshing ??= Task.Run(ReadCellsAsync);
        }
    }

    private async Task<Copy> ReadCellsAsync()
    {
        try
        {
            var taken = clock.GetTimestamp();
            var keys = await occupied.GetAsync();
            var cells = await Task.WhenAll(keys.Select(async key => KeyValuePair.Create(key, await grains.GetGrain<IGeoCellGrain>(key).ListAsync())));
            var copy = new Copy(taken, cells.ToFrozenDictionary(StringComparer.Ordinal));
            Volatile.Write(ref _current, copy);
            return copy;
        }
        catch (Exception ex)
        {
            // A search that waited sees the failure; one that used the older copy meanwhile triggers the next attempt.
            logger.LogWarning(ex, "Could not refresh the silo's copy of the station index");
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
