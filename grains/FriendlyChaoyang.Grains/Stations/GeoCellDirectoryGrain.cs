using FriendlyChaoyang.Persistence;

namespace FriendlyChaoyang.Stations;

/// <summary>
/// Which geo cells hold stations. Written only when a station is defined in a new cell; read by each silo's
/// <see cref="OccupiedCells"/> cache, so searches do not call it.
/// </summary>
public sealed class GeoCellDirectoryGrain(
    [PersistentState("geocell-directory", StorageNames.Default)] IPersistentState<GeoCellDirectoryState> state) : Grain, IGeoCellDirectoryGrain
{
    public async Task RegisterAsync(string cellKey)
    {
        if (state.State.Cells.Add(cellKey))
        {
            await state.WriteOrDeactivateAsync(this);
        }
    }

    public Task<IReadOnlyList<string>> ListAsync() => Task.FromResult<IReadOnlyList<string>>([.. state.State.Cells]);
}
