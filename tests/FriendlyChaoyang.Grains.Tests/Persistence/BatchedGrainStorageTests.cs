using FriendlyChaoyang.Riders;
using FriendlyChaoyang.Silo.Persistence;
using FriendlyChaoyang.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

namespace FriendlyChaoyang.Tests.Persistence;

[Collection(ClusterCollection.Name)]
public sealed class BatchedGrainStorageTests(ClusterFixture fixture) : IAsyncLifetime
{
    private BatchedGrainStorage _storage = null!;

    public Task InitializeAsync()
    {
        _storage = new BatchedGrainStorage(
            fixture.Database.ConnectionString,
            new OrleansGrainStorageSerializer(fixture.Client.ServiceProvider.GetRequiredService<Serializer>()),
            Options.Create(new ClusterOptions { ServiceId = $"batched-{Guid.NewGuid():N}" }),
            NullLogger<BatchedGrainStorage>.Instance);
        _storage.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task TwoHundredConcurrentWritesShareAFewCommitsAndAreAllReadBack()
    {
        var ids = Enumerable.Range(0, 200).Select(i => GrainId.Create("rider", $"batch-{Guid.NewGuid():N}-{i}")).ToList();
        var commitsBefore = await CommitsAsync();

        await Task.WhenAll(ids.Select(id =>
            _storage.WriteStateAsync("test", id, new GrainState<RiderState>(new RiderState { DisplayName = id.Key.ToString() }))));

        var commits = await CommitsAsync() - commitsBefore;
        Assert.True(commits < 60, $"{commits} commits for 200 writes");
        foreach (var id in ids)
        {
            var read = new GrainState<RiderState>();
            await _storage.ReadStateAsync("test", id, read);
            Assert.Equal(id.Key.ToString(), read.State!.DisplayName);
            Assert.Equal("1", read.ETag);
        }
    }

    [Fact]
    public async Task AStaleVersionIsRefusedAndLeavesTheStoredStateAlone()
    {
        var id = GrainId.Create("rider", $"stale-{Guid.NewGuid():N}");
        var first = new GrainState<RiderState>(new RiderState { DisplayName = "first" });
        await _storage.WriteStateAsync("test", id, first);
        var stale = new GrainState<RiderState>(new RiderState { DisplayName = "stale" }) { ETag = first.ETag };
        await _storage.WriteStateAsync("test", id, first);

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("test", id, stale));

        var racingFirstWrite = new GrainState<RiderState>(new RiderState { DisplayName = "second activation" });
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("test", id, racingFirstWrite));
        var read = new GrainState<RiderState>();
        await _storage.ReadStateAsync("test", id, read);
        Assert.Equal("first", read.State!.DisplayName);
        Assert.Equal("2", read.ETag);
    }

    [Fact]
    public async Task ClearingKeepsTheVersionChainAndReadsBackAsNew()
    {
        var id = GrainId.Create("rider", $"clear-{Guid.NewGuid():N}");
        var state = new GrainState<RiderState>(new RiderState { DisplayName = "gone soon" });
        await _storage.WriteStateAsync("test", id, state);

        await _storage.ClearStateAsync("test", id, state);

        var read = new GrainState<RiderState>();
        await _storage.ReadStateAsync("test", id, read);
        Assert.False(read.RecordExists);
        Assert.Null(read.State!.DisplayName);
        Assert.Equal("2", read.ETag);
    }

    [Fact]
    public async Task EachWriteInABatchGetsItsOwnAnswerAndTheConflictingOnesChangeNothing()
    {
        // Rows first stored at version 1; then, all at once so they share batches, per row: an update at the right
        // version, an update at a stale version, a first write of a row that exists, a first write of a new row, a clear.
        var rows = Enumerable.Range(0, 40).Select(i => GrainId.Create("rider", $"mixed-{Guid.NewGuid():N}-{i}")).ToList();
        var stored = rows.Select(id => new GrainState<RiderState>(new RiderState { DisplayName = "stored" })).ToList();
        await Task.WhenAll(rows.Select((id, i) => _storage.WriteStateAsync("test", id, stored[i])));
        var fresh = Enumerable.Range(0, 40).Select(i => GrainId.Create("rider", $"fresh-{Guid.NewGuid():N}-{i}")).ToList();

        var writes = rows.Select((id, i) => (i % 4) switch
        {
            0 => Outcome(_storage.WriteStateAsync("test", id, new GrainState<RiderState>(new RiderState { DisplayName = "updated" }) { ETag = "1" })),
            1 => Outcome(_storage.WriteStateAsync("test", id, new GrainState<RiderState>(new RiderState { DisplayName = "stale" }) { ETag = "7" })),
            2 => Outcome(_storage.WriteStateAsync("test", id, new GrainState<RiderState>(new RiderState { DisplayName = "second activation" }))),
            _ => Outcome(_storage.ClearStateAsync("test", id, new GrainState<RiderState>(new RiderState()) { ETag = "1" })),
        }).Concat(fresh.Select(id => Outcome(_storage.WriteStateAsync("test", id, new GrainState<RiderState>(new RiderState { DisplayName = "new" })))));
        var outcomes = await Task.WhenAll(writes);

        for (var i = 0; i < rows.Count; i++)
        {
            var (conflict, expectedName, expectedVersion, exists) = (i % 4) switch
            {
                0 => (false, "updated", "2", true),
                1 => (true, "stored", "1", true),
                2 => (true, "stored", "1", true),
                _ => (false, null, "2", false),
            };
            Assert.Equal(conflict, outcomes[i]);
            var read = new GrainState<RiderState>();
            await _storage.ReadStateAsync("test", rows[i], read);
            Assert.Equal((expectedName, expectedVersion, exists), (read.State!.DisplayName, read.ETag, read.RecordExists));
        }
        Assert.All(outcomes.Skip(rows.Count), conflict => Assert.False(conflict));
        foreach (var id in fresh)
        {
            var read = new GrainState<RiderState>();
            await _storage.ReadStateAsync("test", id, read);
            Assert.Equal(("new", "1"), (read.State!.DisplayName, read.ETag));
        }

        static async Task<bool> Outcome(Task write)
        {
            try
            {
                await write;
                return false;
            }
            catch (InconsistentStateException)
            {
                return true;
            }
        }
    }

    private Task<long> CommitsAsync() =>
        fixture.Database.ScalarAsync<long>("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()");
}
