namespace FriendlyChaoyang.Health;

/// <summary>What a warmed silo reports: how many stations it defined and found again through the geo index.</summary>
[GenerateSerializer, Immutable, Alias("fc.Warmth")]
public sealed record Warmth([property: Id(0)] int Stations, [property: Id(1)] DateTimeOffset WarmedAt, [property: Id(2)] string Silo);

/// <summary>
/// Whether the cluster is ready for riders: some silo has defined every seeded station and found each one through the
/// geo index. Held in memory only (every warm silo reports again every few seconds), so a fresh cluster on an old
/// database is not ready until this start's stations are warm.
/// </summary>
[Alias("fc.IReadinessGrain")]
public interface IReadinessGrain : IGrainWithIntegerKey
{
    [Alias("ReportWarm")]
    Task ReportWarmAsync(Warmth warmth);

    /// <summary>The last report, or null while no silo has warmed up yet.</summary>
    [Alias("GetWarmth")]
    Task<Warmth?> GetWarmthAsync();
}
