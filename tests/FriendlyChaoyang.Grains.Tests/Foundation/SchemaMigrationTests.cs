using FriendlyChaoyang.Silo.Database;
using FriendlyChaoyang.Testing;

namespace FriendlyChaoyang.Tests.Foundation;

public sealed class SchemaMigrationTests
{
    [Fact]
    public async Task MigratingTwiceAppliesEveryMigrationOnceAndChangesNothingTheSecondTime()
    {
        await using var database = await TestDatabase.CreateAsync(migrate: false);

        var first = await DatabaseMigrator.MigrateAsync(database.ConnectionString);
        var queriesAfterFirst = await database.ScalarAsync<long>("SELECT count(*) FROM orleansquery");
        var second = await DatabaseMigrator.MigrateAsync(database.ConnectionString);

        Assert.Equal(DatabaseMigrator.Migrations.Select(m => m.Version), first);
        Assert.Empty(second);
        Assert.Equal(DatabaseMigrator.Migrations.Count, await database.ScalarAsync<long>("SELECT count(*) FROM schema_migrations"));
        Assert.Equal(queriesAfterFirst, await database.ScalarAsync<long>("SELECT count(*) FROM orleansquery"));
    }

    [Fact]
    public async Task SilosStartingTogetherMigrateTheSameDatabaseOnce()
    {
        await using var database = await TestDatabase.CreateAsync(migrate: false);

        var results = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => DatabaseMigrator.MigrateAsync(database.ConnectionString)));

        Assert.Equal(DatabaseMigrator.Migrations.Count, results.Sum(r => r.Count));
        Assert.Equal(DatabaseMigrator.Migrations.Count, await database.ScalarAsync<long>("SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task EveryQueryTheOrleansProvidersNeedIsInstalled()
    {
        await using var database = await TestDatabase.CreateAsync();
        string[] required =
        [
            "InsertMembershipVersionKey", "InsertMembershipKey", "UpdateMembershipKey", "UpdateIAmAlivetimeKey",
            "MembershipReadRowKey", "MembershipReadAllKey", "GatewaysQueryKey", "DeleteMembershipTableEntriesKey",
            "ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey",
            "UpsertReminderRowKey", "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key", "ReadRangeRows2Key",
            "DeleteReminderRowKey", "DeleteReminderRowsKey",
        ];
        var list = string.Join(",", required.Select(k => $"'{k}'"));

        var installed = await database.ScalarAsync<long>($"SELECT count(*) FROM orleansquery WHERE querykey IN ({list})");

        Assert.Equal(required.Length, installed);
    }
}
