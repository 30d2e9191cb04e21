namespace FriendlyChaoyang.Points;

/// <summary>
/// One rider's append-only points ledger, keyed by rider id. Every entry and hold carries an id derived from its
/// cause; an id seen before is acknowledged and ignored, so retried or duplicated deliveries pay once. Balance and
/// held never go negative. Not reentrant: concurrent holds are decided one at a time and cannot overspend.
/// </summary>
[Alias("fc.IPointsLedgerGrain")]
public interface IPointsLedgerGrain : IGrainWithStringKey
{
    [Alias("Credit")]
    Task<PointsSummary> CreditAsync(LedgerCredit credit);

    /// <summary>
    /// Compensates an earlier credit once with a debit entry (never an edit). A reversal that arrives before its credit
    /// makes the ledger ignore that credit; points already spent stay spent (the balance never goes negative).
    /// </summary>
    [Alias("Reverse")]
    Task<PointsSummary> ReverseAsync(LedgerReversal reversal);

    [Alias("GetSummary")]
    Task<PointsSummary> GetSummaryAsync();

    /// <summary>Newest entries first; page 1 is the newest.</summary>
    [Alias("GetPage")]
    Task<LedgerPage> GetPageAsync(int page, int pageSize);

    /// <returns>Held (also for a repeated id still held), or the hold's final status, or InsufficientPoints.</returns>
    [Alias("Hold")]
    Task<HoldStatus> HoldAsync(LedgerHold hold);

    /// <summary>Turns a hold into a debit. Repeating it returns Posted; a released or expired hold stays so.</summary>
    [Alias("Post")]
    Task<HoldStatus> PostAsync(string holdId);

    [Alias("Release")]
    Task<HoldStatus> ReleaseAsync(string holdId);
}

/// <summary>
/// One voucher, keyed by its code: holds the reward's cost in the rider's ledger until confirmed or cancelled. Only
/// operators of the voucher's subdistrict may confirm or look it up; a voucher without one is bound to the subdistrict
/// of the first operator who confirms it.
/// </summary>
[Alias("fc.IRedemptionGrain")]
public interface IRedemptionGrain : IGrainWithStringKey
{
    /// <summary>Holds the cost. Repeating it with the same fingerprint returns the first result; another fingerprint is DifferentRequest.</summary>
    [Alias("Create")]
    Task<RedemptionResult> CreateAsync(NewRedemption request);

    /// <summary>
    /// Posts the held points (an operator handed over the service) and audits who did it, where and when. Repeating it
    /// returns Redeemed; an operator of another subdistrict is refused (WrongSubdistrict) and changes nothing.
    /// </summary>
    [Alias("Confirm")]
    Task<RedemptionResult> ConfirmAsync(VoucherOperator by);

    /// <summary>The rider withdraws: the hold is released.</summary>
    [Alias("Cancel")]
    Task<RedemptionResult> CancelAsync(string riderId);

    /// <summary>The voucher and its audit, for the rider who owns it (anyone else: NotYours).</summary>
    [Alias("GetForRider")]
    Task<RedemptionResult> GetForRiderAsync(string riderId);

    /// <summary>The voucher and its audit, for an operator who may confirm it (another subdistrict's: WrongSubdistrict).</summary>
    [Alias("GetForOperator")]
    Task<RedemptionResult> GetForOperatorAsync(VoucherOperator viewer);
}
