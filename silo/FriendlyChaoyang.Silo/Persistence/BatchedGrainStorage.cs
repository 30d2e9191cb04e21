using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Orleans.Configuration;
using Orleans.Storage;

namespace FriendlyChaoyang.Silo.Persistence;

/// <summary>
/// Grain storage with cross-grain group commit. Every write is queued; a few flushers each take whatever is queued
/// (up to <see cref="MaxBatch"/>) and send it as one Npgsql batch: one round trip, one transaction, one commit. A write's task
/// completes only after that commit, so an acknowledged write is exactly as durable as with the ADO.NET provider,
/// but N concurrent writers cost one round trip and one fsync instead of N.
/// Rows live in the same <c>orleansstorage</c> table and get the same version check as the ADO.NET provider's
/// <c>orleans_write_to_storage</c> function, so optimistic concurrency is identical; the
/// identity hashes are this provider's own, so a grain type must stay with one provider. Failures surface as Npgsql's
/// own exceptions; the silo wraps this provider in <see cref="FailureTranslatingStorage"/> like every other.
/// </summary>
public sealed class BatchedGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>, IAsyncDisposable
{
    private const int MaxBatch = 256;

    private readonly string _serviceId;
    private readonly IGrainStorageSerializer _serializer;
    private readonly ILogger<BatchedGrainStorage> _logger;
    private readonly NpgsqlDataSource _dataSource;
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = false });
    private readonly int _flusherCount;
    private readonly List<Task> _flushers = [];
    private long _writes;
    private long _commits;
    private long _batchTicks;
    private int _largestBatch;
    private int _statsLogged;

    /// <param name="flushers">How many batches may be in flight at once (each one transaction on its own connection).</param>
    public BatchedGrainStorage(
        string connectionString, IGrainStorageSerializer serializer, IOptions<ClusterOptions> cluster, ILogger<BatchedGrainStorage> logger, int flushers = 2)
    {
        _flusherCount = flushers;
        _serviceId = cluster.Value.ServiceId;
        _serializer = serializer;
        _logger = logger;
        // The write and the read are the same two statements every time: prepared once per connection, PostgreSQL parses
        // and plans them once instead of on every call (unless the connection string chose its own limit).
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 8;
        }
        // Nothing here changes session state, so a connection going back to the pool needs no reset: Npgsql would
        // otherwise send CLOSE ALL, UNLISTEN, DISCARD ... ahead of every batch, which PostgreSQL parses and runs each time.
        builder.NoResetOnClose = true;
        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(BatchedGrainStorage), ServiceLifecycleStage.ApplicationServices, _ =>
        {
            Start();
            return Task.CompletedTask;
        }, _ => StopAsync());

    public void Start()
    {
        for (var i = 0; i < _flusherCount; i++)
        {
            _flushers.Add(Task.Run(FlushLoopAsync, CancellationToken.None));
        }
    }

    /// <summary>Refuses new writes and finishes the queued ones.</summary>
    public async Task StopAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_flushers);
        if (_commits > 0 && Interlocked.Exchange(ref _statsLogged, 1) == 0)
        {
            // How much the group commit actually grouped: the benchmark reads this line (docs/benchmarks.md).
            _logger.LogInformation("Batched storage: {Writes} writes in {Commits} commits (mean {Mean:0.0} a commit, largest {Largest}; {BatchMs:0.00} ms a batch from connection to commit)",
                _writes, _commits, (double)_writes / _commits, _largestBatch, Stopwatch.GetElapsedTime(0, _batchTicks).TotalMilliseconds / _commits);
        }
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = RowKey.For(stateName, grainId);
        await using var command = _dataSource.CreateCommand("""
            SELECT payloadbinary, version FROM orleansstorage
            WHERE grainidhash = $1 AND graintypehash = $2 AND serviceid = $3 AND grainidn0 = 0 AND grainidn1 = 0
              AND graintypestring = $4 AND grainidextensionstring = $5
            """);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = key.IdHash });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = key.TypeHash });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _serviceId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stateName });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.Id });
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }
        var version = reader.GetInt32(1);
        grainState.State = reader.IsDBNull(0)
            ? Activator.CreateInstance<T>()
            : _serializer.Deserialize<T>(new BinaryData(reader.GetFieldValue<byte[]>(0)));
        grainState.ETag = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        grainState.RecordExists = !reader.IsDBNull(0);
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        EnqueueAsync(stateName, grainId, grainState, _serializer.Serialize(grainState.State).ToArray(), recordExists: true);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        EnqueueAsync(stateName, grainId, grainState, payload: null, recordExists: false);

    private async Task EnqueueAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, byte[]? payload, bool recordExists)
    {
        int? expected = grainState.ETag is null ? null : int.Parse(grainState.ETag, System.Globalization.CultureInfo.InvariantCulture);
        var write = new PendingWrite(RowKey.For(stateName, grainId), stateName, expected, payload);
        if (!_queue.Writer.TryWrite(write))
        {
            throw new StorageUnavailableException("The silo is stopping; state was not written.");
        }
        var stored = await write.Completion.Task;
        if (stored is null || stored == expected)
        {
            throw new InconsistentStateException(
                $"Version conflict writing {stateName} of {grainId}: expected version {grainState.ETag ?? "none"}.",
                stored?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "", grainState.ETag ?? "");
        }
        grainState.ETag = stored.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        grainState.RecordExists = recordExists;
    }

    private async Task FlushLoopAsync()
    {
        var batch = new List<PendingWrite>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var write))
            {
                batch.Add(write);
            }
            if (batch.Count == 0)
            {
                continue;
            }
            try
            {
                await WriteBatchAsync(batch);
            }
            catch (Exception ex)
            {
                _logger.LogWarning(ex, "A batch of {Count} grain state writes failed; none was applied", batch.Count);
                foreach (var write in batch)
                {
                    write.Completion.TrySetException(ex);
                }
            }
            batch.Clear();
        }
    }

    // The two halves of orleans_write_to_storage (0003_orleans_persistence.sql) as plain statements: PostgreSQL runs a
    // prepared statement's plan directly, where the function call went through PL/pgSQL for every row (half of
    // PostgreSQL's time under the spread benchmark). Same version check, same rows; no row back means a conflict.
    private const string UpdateIfVersionMatches = """
        UPDATE orleansstorage SET payloadbinary = $6, version = version + 1, modifiedon = now()
        WHERE grainidhash = $1 AND graintypehash = $2 AND serviceid = $5 AND grainidn0 = 0 AND grainidn1 = 0
          AND graintypestring = $3 AND grainidextensionstring = $4 AND version = $7
        RETURNING version
        """;

    private const string InsertFirstVersion = """
        INSERT INTO orleansstorage (grainidhash, grainidn0, grainidn1, graintypehash, graintypestring, grainidextensionstring, serviceid, payloadbinary, version)
        VALUES ($1, 0, 0, $2, $3, $4, $5, $6, 1)
        ON CONFLICT DO NOTHING
        RETURNING version
        """;

    private async Task WriteBatchAsync(List<PendingWrite> writes)
    {
        // A fixed row order keeps two concurrent batches from deadlocking on each other's rows.
        writes.Sort(static (a, b) => string.CompareOrdinal(a.Key.Sortable, b.Key.Sortable));
        var started = Stopwatch.GetTimestamp();
        await using var connection = await _dataSource.OpenConnectionAsync();
        // No explicit transaction: Npgsql sends a batch with one Sync, so PostgreSQL runs it as one implicit transaction
        // (all or nothing) and commits it when it reaches that Sync, before it answers ReadyForQuery. Reading the batch
        // to its end (disposing the reader) therefore waits for the commit: one round trip a batch instead of two.
        await using var batch = new NpgsqlBatch(connection);
        foreach (var write in writes)
        {
            var command = new NpgsqlBatchCommand(write.ExpectedVersion is null ? InsertFirstVersion : UpdateIfVersionMatches);
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = write.Key.IdHash });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = write.Key.TypeHash });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = write.StateName });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = write.Key.Id });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _serviceId });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)write.Payload ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bytea });
            if (write.ExpectedVersion is { } expected)
            {
                command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = expected });
            }
            batch.BatchCommands.Add(command);
        }
        var results = new int?[writes.Count];
        await using (var reader = await batch.ExecuteReaderAsync())
        {
            for (var i = 0; i < writes.Count; i++)
            {
                if (i > 0)
                {
                    await reader.NextResultAsync();
                }
                results[i] = await reader.ReadAsync() ? reader.GetInt32(0) : null;
            }
        }
        Interlocked.Add(ref _batchTicks, Stopwatch.GetTimestamp() - started);
        Interlocked.Add(ref _writes, writes.Count);
        Interlocked.Increment(ref _commits);
        InterlockedMax(ref _largestBatch, writes.Count);
        // Only now, after the commit, is any write acknowledged.
        for (var i = 0; i < writes.Count; i++)
        {
            writes[i].Completion.TrySetResult(results[i]);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current && Interlocked.CompareExchange(ref target, value, current) is var seen && seen != current)
        {
            current = seen;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _dataSource.DisposeAsync();
    }

    private sealed record PendingWrite(RowKey Key, string StateName, int? ExpectedVersion, byte[]? Payload)
    {
        public TaskCompletionSource<int?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>The row identity: the grain's key (state names are unique per grain type), with stable FNV-1a hashes.</summary>
    private readonly record struct RowKey(string Id, int IdHash, int TypeHash, string Sortable)
    {
        public static RowKey For(string stateName, GrainId grainId)
        {
            var id = grainId.Key.ToString()!;
            return new RowKey(id, Fnv1a(id), Fnv1a(stateName), stateName + "/" + id);
        }

        private static int Fnv1a(string text)
        {
            var hash = 2166136261u;
            foreach (var b in Encoding.UTF8.GetBytes(text))
            {
                hash = (hash ^ b) * 16777619u;
            }
            return unchecked((int)hash);
        }
    }
}
