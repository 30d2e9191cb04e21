namespace FriendlyChaoyang.Points;

[GenerateSerializer, Alias("fc.PointsLedgerState")]
public sealed class PointsLedgerState
{
    /// <summary>Append-only: entries are never changed or removed.</summary>
    [Id(0)] public List<LedgerEntry> Entries { get; set; } = [];

    /// <summary>Every entry id ever applied, so a redelivered credit is acknowledged without paying twice.</summary>
    [Id(1)] public HashSet<string> SeenIds { get; set; } = [];

    /// <summary>Every hold ever placed, by hold id, with where it ended.</summary>
    [Id(2)] public Dictionary<string, HoldRecord> Holds { get; set; } = [];

    [Id(3)] public int Balance { get; set; }
    [Id(4)] public int Held { get; set; }
}

[GenerateSerializer, Immutable, Alias("fc.HoldRecord")]
public sealed record HoldRecord([property: Id(0)] LedgerHold Hold, [property: Id(1)] HoldStatus Status);
