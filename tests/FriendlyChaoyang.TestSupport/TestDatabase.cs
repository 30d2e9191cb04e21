using FriendlyChaoyang.Silo.Database;
using Npgsql;

namespace FriendlyChaoyang.Testing;

/// <summary>
/// A fresh, migrated database on the throwaway PostgreSQL that ./test.sh starts (FC_TEST_PG names its server).
/// Each fixture gets its own database so test classes never see each other's rows.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string _serverConnectionString;

    private TestDatabase(string serverConnectionString, string name)
    {
        _serverConnectionString = serverConnectionString;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name, MaxPoolSize = 16 }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("FC_TEST_PG")
        ?? throw new InvalidOperationException("FC_TEST_PG is not set: run the tests through ./test.sh, which starts PostgreSQL.");

    public static async Task<TestDatabase> CreateAsync(bool migrate = true)
    {
        var database = new TestDatabase(ServerConnectionString, $"fc_test_{Guid.NewGuid():N}");
        await using (var connection = new NpgsqlConnection(ServerConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database.Name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        if (migrate)
        {
            await DatabaseMigrator.MigrateAsync(database.ConnectionString);
        }
        return database;
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_serverConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
