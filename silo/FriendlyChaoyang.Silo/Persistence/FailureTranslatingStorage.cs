using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace FriendlyChaoyang.Silo.Persistence;

/// <summary>
/// Wraps each grain storage provider (the ADO.NET one and <see cref="BatchedGrainStorage"/>) so that a failed read or
/// write reaches grains as a <see cref="StorageUnavailableException"/>. Reads matter most: a state read fails during
/// activation, where no grain call filter sees it.
/// </summary>
public sealed class FailureTranslatingStorage(IGrainStorage inner, ILogger<FailureTranslatingStorage> logger) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        TranslateAsync("read", stateName, grainId, () => inner.ReadStateAsync(stateName, grainId, grainState));

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        TranslateAsync("written", stateName, grainId, () => inner.WriteStateAsync(stateName, grainId, grainState));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        TranslateAsync("cleared", stateName, grainId, () => inner.ClearStateAsync(stateName, grainId, grainState));

    private async Task TranslateAsync(string verb, string stateName, GrainId grainId, Func<Task> operation)
    {
        try
        {
            await operation();
        }
        catch (Exception ex) when (DatabaseFailures.Translate(ex, $"The {stateName} state of {grainId} could not be {verb}") is { } unavailable)
        {
            logger.LogWarning(ex, "The {StateName} state of {GrainId} could not be {Verb}", stateName, grainId, verb);
            throw unavailable;
        }
    }
}
