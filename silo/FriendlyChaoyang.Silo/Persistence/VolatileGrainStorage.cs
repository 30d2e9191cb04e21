using System.Collections.Concurrent;
using System.Globalization;
using Orleans.Storage;

namespace FriendlyChaoyang.Silo.Persistence;

/// <summary>
/// Grain state kept in this silo's memory, serialized as it would be for PostgreSQL and given advancing versions (ETags),
/// so grains run the same code; a write costs no I/O at all. Unlike PostgreSQL it does not refuse a stale version: with
/// one silo there is no second activation to refuse. Nothing survives the process, and a grain that moves to another silo
/// starts empty: it exists only to measure the non-durable ceiling of the design (<c>Storage:InMemory</c>). Orleans'
/// own memory storage is no ceiling: it sends every write to one of a few storage grains, one write at a time each.
/// </summary>
public sealed class VolatileGrainStorage(IGrainStorageSerializer serializer) : IGrainStorage
{
    private readonly ConcurrentDictionary<(string State, GrainId Grain), (int Version, BinaryData Payload)> _rows = new();

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_rows.TryGetValue((stateName, grainId), out var row))
        {
            grainState.State = serializer.Deserialize<T>(row.Payload);
            grainState.ETag = row.Version.ToString(CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
        }
        else
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var version = _rows.AddOrUpdate(
            (stateName, grainId),
            _ => (1, serializer.Serialize(grainState.State)),
            (_, row) => (row.Version + 1, serializer.Serialize(grainState.State))).Version;
        grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        _rows.TryRemove((stateName, grainId), out _);
        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Activator.CreateInstance<T>();
        return Task.CompletedTask;
    }
}
