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

/// <summary>Takes back the credit <c>CreditId</c> once, under its own id (e.g. "commendation:{id}:revoked").</summary>
[GenerateSerializer, Immutable, Alias("fc.LedgerReversal")]
public sealed record LedgerReversal(
    [property: Id(0)] string Id,
    [property: Id(1)] string CreditId,
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

/// <summary>
/// Where a voucher stands: the only values of "status" on the wire. Stored in <see cref="Redemption"/> records by
/// number, so these numbers never change.
/// </summary>
[GenerateSerializer, Alias("fc.RedemptionStatus")]
public enum RedemptionStatus
{
    Held = 0,
    Redeemed = 1,
    Released = 2,
    Expired = 3,
}

/// <summary>How a call on a voucher ended. Only <see cref="Answered"/> carries the voucher; the others change nothing.</summary>
[GenerateSerializer, Alias("fc.RedemptionOutcome")]
public enum RedemptionOutcome
{
    /// <summary>The voucher, whatever its status (a confirm of a released voucher answers it too: the caller decides).</summary>
    Answered = 0,
    InsufficientPoints = 1,
    UnknownReward = 2,
    UnknownSubdistrict = 3,
    NotFound = 4,
    /// <summary>The code belongs to another rider.</summary>
    NotYours = 5,
    /// <summary>The voucher is served in another subdistrict than the operator's.</summary>
    WrongSubdistrict = 6,
    /// <summary>The code's Idempotency-Key was first used with another request (another reward or subdistrict).</summary>
    DifferentRequest = 7,
}

/// <param name="SubdistrictId">Where the rider will be served (a partner service point there), if they said so.</param>
/// <param name="Fingerprint">A digest of the request's fields: a replay of the same code must carry the same one.</param>
[GenerateSerializer, Immutable, Alias("fc.NewRedemption")]
public sealed record NewRedemption(
    [property: Id(0)] string RiderId,
    [property: Id(1)] string RewardId,
    [property: Id(2)] string? SubdistrictId,
    [property: Id(3)] string Fingerprint);

/// <summary>The operator who confirms or looks up a voucher: their token's subject and subdistrict.</summary>
[GenerateSerializer, Immutable, Alias("fc.VoucherOperator")]
public sealed record VoucherOperator([property: Id(0)] string OperatorId, [property: Id(1)] string SubdistrictId);

/// <param name="SubdistrictId">
/// Where the voucher is served: the rider's choice, else the first confirming operator's subdistrict; null until then
/// (and in records stored before vouchers had one).
/// </param>
[GenerateSerializer, Immutable, Alias("fc.Redemption")]
public sealed record Redemption(
    [property: Id(0)] string Code,
    [property: Id(1)] string RiderId,
    [property: Id(2)] string RewardId,
    [property: Id(3)] int Cost,
    [property: Id(4)] RedemptionStatus Status,
    [property: Id(5)] DateTimeOffset ExpiresAt,
    [property: Id(6)] string? SubdistrictId);

/// <summary>The audit of a confirmation that changed a voucher: who (operator), where (their subdistrict), when, and the status it left.</summary>
[GenerateSerializer, Immutable, Alias("fc.RedemptionConfirmation")]
public sealed record RedemptionConfirmation(
    [property: Id(0)] string By,
    [property: Id(1)] string SubdistrictId,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] RedemptionStatus Status);

/// <param name="Confirmations">The voucher's confirmation audit, oldest first (empty when refused).</param>
[GenerateSerializer, Immutable, Alias("fc.RedemptionResult")]
public sealed record RedemptionResult(
    [property: Id(0)] RedemptionOutcome Outcome,
    [property: Id(1)] Redemption? Redemption,
    [property: Id(2)] IReadOnlyList<RedemptionConfirmation> Confirmations)
{
    public static RedemptionResult Refused(RedemptionOutcome outcome) => new(outcome, null, []);
}
