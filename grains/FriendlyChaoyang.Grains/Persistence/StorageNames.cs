namespace FriendlyChaoyang.Persistence;

public static class StorageNames
{
    /// <summary>Microsoft.Orleans.Persistence.AdoNet: one PostgreSQL round trip and commit per write.</summary>
    public const string Default = "Default";

    /// <summary>
    /// The same PostgreSQL table, written by the silo's batching provider: concurrent writes from many grains share
    /// one round trip and one commit. For grains on the check-in path (stations, riders), where one write per
    /// request per grain would cap the API at the database's commit rate.
    /// </summary>
    public const string Batched = "Batched";
}
