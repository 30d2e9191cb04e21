namespace FriendlyChaoyang.Persistence;

public static class PersistentStateExtensions
{
    /// <summary>
    /// The one way a grain writes its state. If the write fails, the in-memory copy holds changes storage does not have,
    /// so the activation is dropped (the next call reloads the last stored state) and the failure goes to the caller:
    /// nothing was acknowledged, retry. The silo's storage wrapper has already made any storage failure a
    /// <see cref="StorageUnavailableException"/>.
    /// </summary>
    public static async Task WriteOrDeactivateAsync<T>(this IPersistentState<T> state, IGrainBase grain)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(grain);
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            grain.DeactivateOnIdle();
            throw;
        }
    }
}
