using System.Collections.Concurrent;
using Orleans.Storage;

namespace FriendlyChaoyang.Testing;

/// <summary>
/// The test cluster's grain storage: the production one, except that a test can make one write of a grain's state fail
/// as a write refused by the version check fails (another activation wrote first), to reproduce a failure between two steps.
/// </summary>
public sealed class WriteFaults(IGrainStorage inner) : IGrainStorage
{
    // Static: the test and every in-process silo share it. Keyed by grain, so tests running at once do not meet.
    private static readonly ConcurrentDictionary<GrainId, Func<object?, bool>> Armed = new();

    /// <summary>The next write of <paramref name="grain"/>'s state for which <paramref name="when"/> holds fails, once.</summary>
    public static void FailNextWrite<T>(GrainId grain, Func<T, bool> when) => Armed[grain] = state => state is T typed && when(typed);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (Armed.TryGetValue(grainId, out var when) && when(grainState.State) && Armed.TryRemove(KeyValuePair.Create(grainId, when)))
        {
            throw new InconsistentStateException($"The {stateName} state of {grainId} was not written: a fault the test asked for");
        }
        return inner.WriteStateAsync(stateName, grainId, grainState);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}
