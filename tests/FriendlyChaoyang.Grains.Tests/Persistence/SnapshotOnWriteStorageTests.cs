using FriendlyChaoyang.Riders;
using FriendlyChaoyang.Silo.Persistence;
using FriendlyChaoyang.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace FriendlyChaoyang.Tests.Persistence;

[Collection(ClusterCollection.Name)]
public sealed class SnapshotOnWriteStorageTests(ClusterFixture fixture)
{
    [Fact]
    public async Task AChangeMadeWhileTheProviderIsStillWritingIsNotPartOfThatWrite()
    {
        var provider = new ProviderThatSerializesLate();
        var storage = new SnapshotOnWriteStorage(provider, fixture.Client.ServiceProvider.GetRequiredService<DeepCopier>());
        var rider = new RiderState { DisplayName = "at the call" };
        var state = new GrainState<RiderState>(rider) { ETag = "4" };

        var write = storage.WriteStateAsync("rider", GrainId.Create("rider", "snapshot"), state);
        rider.DisplayName = "the next turn"; // a reentrant grain's next turn, while the provider opens its connection
        provider.OpenConnection.SetResult();
        await write;

        Assert.Equal("at the call", provider.Serialized);
        Assert.Equal("5", state.ETag);
        Assert.True(state.RecordExists);
        Assert.Same(rider, state.State);
    }

    /// <summary>Like the ADO.NET provider: reads the state only after an await, then bumps the version.</summary>
    private sealed class ProviderThatSerializesLate : IGrainStorage
    {
        public TaskCompletionSource OpenConnection { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string? Serialized { get; private set; }

        public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            await OpenConnection.Task;
            Serialized = (grainState.State as RiderState)?.DisplayName;
            grainState.ETag = (int.Parse(grainState.ETag!) + 1).ToString();
            grainState.RecordExists = true;
        }

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.CompletedTask;

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.CompletedTask;
    }
}
