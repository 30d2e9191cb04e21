using Orleans.Serialization;
using Orleans.Storage;

namespace FriendlyChaoyang.Silo.Persistence;

/// <summary>
/// Hands the ADO.NET provider a deep copy of the state taken at the write call. That provider serializes the state
/// inside its command callback, after opening a connection on a pool thread; a reentrant grain (every GroupCommit
/// user) runs its next turn meanwhile, and a change made then raced the serializer ("Collection was modified", or a
/// row that mixes two turns). <see cref="BatchedGrainStorage"/> serializes before its first await and needs no copy.
/// </summary>
public sealed class SnapshotOnWriteStorage(IGrainStorage inner, DeepCopier copier) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var snapshot = new GrainState<T>(copier.Copy(grainState.State), grainState.ETag) { RecordExists = grainState.RecordExists };
        await inner.WriteStateAsync(stateName, grainId, snapshot);
        grainState.ETag = snapshot.ETag;
        grainState.RecordExists = snapshot.RecordExists;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}
