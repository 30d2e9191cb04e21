namespace FriendlyChaoyang.Points;

/// <summary>A credit or debit in a rider's ledger. The id names its cause, e.g. "issue:{issueId}:reporter".</summary>
[GenerateSerializer, Immutable, Alias("fc.LedgerEntry")]
public sealed record LedgerEntry(
    [property: Id(0)] string Id,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] int Amount,
    [property: Id(3)] string Reason,
    [property: Id(4)] string Ref);

/// <summary>A credit to apply once: a repeated id is acknowledged without paying again.</summary>
[GenerateSerializer, Immutable, Alias("fc.LedgerCredit")]
public sealed record LedgerCredit(
    [property: Id(0)] string Id,
    [property: Id(1)] int Amount,
    [property: Id(2)] string Reason,
    [property: Id(3)] string Ref);

/// <summary>Reserves points for a redemption until it is posted, released or expires.</summary>
[GenerateSerializer, Immutable, Alias("fc.LedgerHold")]
public sealed record LedgerHold(
    [property: Id(0)] string Id,
    [property: Id(1)] int Amount,
    [property: Id(2)] string Reason,
    [property: Id(3)] string Ref,
    [property: Id(4)] DateTimeOffset ExpiresAt);

[GenerateSerializer, Alias("fc.HoldStatus")]
public enum HoldStatus
{
    Held = 0,
    Posted = 1,
    Released = 2,
    Expired = 3,
    InsufficientPoints = 4,
    Unknown = 5,
}

/// <param name="Balance">Posted points: credits minus redeemed debits.</param>
/// <param name="Held">Points reserved by open redemptions; spendable = Balance - Held.</param>
[GenerateSerializer, Immutable, Alias("fc.PointsSummary")]
public sealed record PointsSummary([property: Id(0)] int Balance, [property: Id(1)] int Held);

/// <param name="Balance">Posted points: credits minus redeemed debits.</param>
/// <param name="Held">Points reserved by open redemptions; spendable = Balance - Held.</param>
[GenerateSerializer, Immutable, Alias("fc.LedgerPage")]
public sealed record LedgerPage(
    [property: Id(0)] int Balance,
    [property: Id(1)] int Held,
    [property: Id(2)] IReadOnlyList<LedgerEntry> Entries);

[GenerateSerializer, Alias("fc.RedemptionStatus")]
public enum RedemptionStatus
{
    Held = 0,
    Redeemed = 1,
    Released = 2,
    Expired = 3,
    InsufficientPoints = 4,
    UnknownReward = 5,
    NotFound = 6,
    /// <summary>The code belongs to another rider.</summary>
    NotYours = 7,
}

[GenerateSerializer, Immutable, Alias("fc.Redemption")]
public sealed record Redemption(
    [property: Id(0)] string Code,
    [property: Id(1)] string RiderId,
    [property: Id(2)] string RewardId,
    [property: Id(3)] int Cost,
    [property: Id(4)] RedemptionStatus Status,
    [property: Id(5)] DateTimeOffset ExpiresAt);

[GenerateSerializer, Immutable, Alias("fc.RedemptionResult")]
public sealed record RedemptionResult([property: Id(0)] RedemptionStatus Status, [property: Id(1)] Redemption? Redemption);
