using FriendlyChaoyang.Catalog;
using FriendlyChaoyang.Persistence;
using Microsoft.Extensions.Options;

namespace FriendlyChaoyang.Points;

/// <summary>
/// One voucher. The ledger owns the points and the hold's expiry (its reminder releases expired holds); this grain
/// remembers what the voucher is and mirrors where the hold ended. The hold's id is the voucher code, so a retry
/// after a crash finds the hold it already placed.
/// </summary>
public sealed class RedemptionGrain(
    [PersistentState("redemption", StorageNames.Default)] IPersistentState<RedemptionState> state,
    CatalogData catalog,
    IOptions<PointsOptions> options,
    TimeProvider clock) : Grain, IRedemptionGrain
{
    private string Code => this.GetPrimaryKeyString();

    public async Task<RedemptionResult> CreateAsync(string riderId, string rewardId)
    {
        if (state.State.Redemption is { } existing)
        {
            return existing.RiderId == riderId ? Result(existing) : new RedemptionResult(RedemptionStatus.NotYours, null);
        }
        if (catalog.FindReward(rewardId) is not { } reward)
        {
            return new RedemptionResult(RedemptionStatus.UnknownReward, null);
        }
        var expiresAt = clock.GetUtcNow() + options.Value.HoldTtl;
        var held = await Ledger(riderId).HoldAsync(new LedgerHold(Code, reward.Cost, $"redeem:{reward.Id}", $"redemption:{Code}", expiresAt));
        if (held == HoldStatus.InsufficientPoints)
        {
            // Nothing was reserved, so nothing is remembered: a retry once the rider has the points may succeed.
            return new RedemptionResult(RedemptionStatus.InsufficientPoints, null);
        }
        state.State.Redemption = new Redemption(Code, riderId, reward.Id, reward.Cost, FromHold(held), expiresAt);
        await WriteAsync();
        return Result(state.State.Redemption);
    }

    public async Task<RedemptionResult> ConfirmAsync()
    {
        if (state.State.Redemption is not { } r)
        {
            return new RedemptionResult(RedemptionStatus.NotFound, null);
        }
        if (r.Status == RedemptionStatus.Held)
        {
            await SettleAsync(r, await Ledger(r.RiderId).PostAsync(Code));
        }
        return Result(state.State.Redemption!);
    }

    public async Task<RedemptionResult> CancelAsync(string riderId)
    {
        if (state.State.Redemption is not { } r)
        {
            return new RedemptionResult(RedemptionStatus.NotFound, null);
        }
        if (r.RiderId != riderId)
        {
            return new RedemptionResult(RedemptionStatus.NotYours, null);
        }
        if (r.Status == RedemptionStatus.Held)
        {
            await SettleAsync(r, await Ledger(r.RiderId).ReleaseAsync(Code));
        }
        return Result(state.State.Redemption!);
    }

    private async Task SettleAsync(Redemption r, HoldStatus hold)
    {
        var status = FromHold(hold);
        if (status != r.Status)
        {
            state.State.Redemption = r with { Status = status };
            await WriteAsync();
        }
    }

    private RedemptionResult Result(Redemption r)
    {
        // The ledger's sweep may not have run yet; never show a lapsed voucher as still usable.
        var shown = r.Status == RedemptionStatus.Held && clock.GetUtcNow() >= r.ExpiresAt ? r with { Status = RedemptionStatus.Expired } : r;
        return new RedemptionResult(shown.Status, shown);
    }

    private static RedemptionStatus FromHold(HoldStatus hold) => hold switch
    {
        HoldStatus.Held => RedemptionStatus.Held,
        HoldStatus.Posted => RedemptionStatus.Redeemed,
        HoldStatus.Released => RedemptionStatus.Released,
        HoldStatus.Expired => RedemptionStatus.Expired,
        _ => throw new InvalidOperationException($"Unexpected hold status {hold}."),
    };

    private IPointsLedgerGrain Ledger(string riderId) => GrainFactory.GetGrain<IPointsLedgerGrain>(riderId);

    private Task WriteAsync() => state.WriteOrDeactivateAsync(this);
}
