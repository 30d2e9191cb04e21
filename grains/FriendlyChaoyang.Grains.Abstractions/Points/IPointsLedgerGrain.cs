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

/// <summary>One voucher, keyed by its code: holds the reward's cost in the rider's ledger until confirmed or cancelled.</summary>
[Alias("fc.IRedemptionGrain")]
public interface IRedemptionGrain : IGrainWithStringKey
{
    /// <summary>Holds the cost. Repeating it returns the first result.</summary>
    [Alias("Create")]
    Task<RedemptionResult> CreateAsync(string riderId, string rewardId);

    /// <summary>Posts the held points (an operator handed over the service). Repeating it returns Redeemed.</summary>
    [Alias("Confirm")]
    Task<RedemptionResult> ConfirmAsync();

    /// <summary>The rider withdraws: the hold is released.</summary>
    [Alias("Cancel")]
    Task<RedemptionResult> CancelAsync(string riderId);
}
