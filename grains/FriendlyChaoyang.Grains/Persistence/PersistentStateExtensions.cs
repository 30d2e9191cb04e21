namespace FriendlyChaoyang.Persistence;

public static class PersistentStateExtensions
{
    /// <summary>
    /// Writes the grain's state. If that fails, the in-memory copy holds changes storage does not have, so the
    /// activation is dropped (the next call reloads the last stored state) and the caller gets a
    /// <see cref="StorageUnavailableException"/> naming <paramref name="what"/>: nothing was acknowledged, retry.
    /// </summary>
    public static async Task WriteOrDeactivateAsync<T>(this IPersistentState<T> state, IGrainBase grain, string what)
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception ex) when (ex is not StorageUnavailableException)
        {
            grain.DeactivateOnIdle();
            throw new StorageUnavailableException($"{what} could not be stored", ex);
        }
    }
}
