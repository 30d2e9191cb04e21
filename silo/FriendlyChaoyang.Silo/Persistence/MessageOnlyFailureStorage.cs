using Orleans.Storage;

namespace FriendlyChaoyang.Silo.Persistence;

/// <summary>
/// Wraps a grain storage so that a database failure surfaces as a <see cref="StorageUnavailableException"/> carrying
/// only the message. Needed for activation: a failed state read there never reaches the grain call filter, and
/// Orleans cannot serialize Npgsql's exceptions back to the caller (it would see a codec error, and the API a 500).
/// </summary>
public sealed class MessageOnlyFailureStorage(IGrainStorage inner) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        TranslateAsync(() => inner.ReadStateAsync(stateName, grainId, grainState));

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        TranslateAsync(() => inner.WriteStateAsync(stateName, grainId, grainState));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        TranslateAsync(() => inner.ClearStateAsync(stateName, grainId, grainState));

    private static async Task TranslateAsync(Func<Task> operation)
    {
        try
        {
            await operation();
        }
        catch (Exception ex) when (StorageFailureFilter.DatabaseFailure(ex) is not null)
        {
            throw new StorageUnavailableException("The database did not answer", ex);
        }
    }
}
