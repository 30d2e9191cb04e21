using FriendlyChaoyang.Catalog;
using FriendlyChaoyang.Persistence;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FriendlyChaoyang.Points;

/// <summary>
/// One voucher. The ledger owns the points and the hold's expiry (its reminder releases expired holds); this grain
/// remembers what the voucher is, where it is served and who confirmed it, and mirrors where the hold ended. The hold's
/// id is the voucher code, so a retry after a crash finds the hold it already placed.
/// </summary>
public sealed class RedemptionGrain(
    [PersistentState("redemption", StorageNames.Default)] IPersistentState<RedemptionState> state,
    CatalogData catalog,
    IOptions<PointsOptions> options,
    TimeProvider clock,
    ILogger<RedemptionGrain> logger) : Grain, IRedemptionGrain
{
    private string Code => this.GetPrimaryKeyString();

    public async Task<RedemptionResult> CreateAsync(NewRedemption request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (state.State.Redemption is { } existing)
        {
            if (existing.RiderId != request.RiderId)
            {
                return RedemptionResult.Refused(RedemptionOutcome.NotYours);
            }
            var sameRequest = state.State.Fingerprint is null || state.State.Fingerprint == request.Fingerprint;
            return sameRequest ? Result(existing) : RedemptionResult.Refused(RedemptionOutcome.DifferentRequest);
        }
        if (catalog.FindReward(request.RewardId) is not { } reward)
        {
            return RedemptionResult.Refused(RedemptionOutcome.UnknownReward);
        }
        if (request.SubdistrictId is { } subdistrictId && catalog.Subdistricts.All(s => s.Id != subdistrictId))
        {
            return RedemptionResult.Refused(RedemptionOutcome.UnknownSubdistrict);
        }
        var expiresAt = clock.GetUtcNow() + options.Value.HoldTtl;
        var held = await Ledger(request.RiderId).HoldAsync(new LedgerHold(Code, reward.Cost, $"redeem:{reward.Id}", $"redemption:{Code}", expiresAt));
        if (held == HoldStatus.InsufficientPoints)
        {
            // Nothing was reserved, so nothing is remembered: a retry once the rider has the points may succeed.
            return RedemptionResult.Refused(RedemptionOutcome.InsufficientPoints);
        }
        state.State.Redemption = new Redemption(Code, request.RiderId, reward.Id, reward.Cost, FromHold(held), expiresAt, request.SubdistrictId);
        state.State.Fingerprint = request.Fingerprint;
        await WriteAsync();
        return Result(state.State.Redemption);
    }

    public async Task<RedemptionResult> ConfirmAsync(VoucherOperator by)
    {
        ArgumentNullException.ThrowIfNull(by);
        if (state.State.Redemption is not { } r)
        {
            return RedemptionResult.Refused(RedemptionOutcome.NotFound);
        }
        if (!MayServe(r, by))
        {
            logger.LogInformation("Voucher {Code} not confirmed: operator {OperatorId} of {OperatorSubdistrict} asked, it is served in {Subdistrict}",
                Code, by.OperatorId, by.SubdistrictId, r.SubdistrictId);
            return RedemptionResult.Refused(RedemptionOutcome.WrongSubdistrict);
        }
        if (r.Status == RedemptionStatus.Held)
        {
            // Posting a held voucher always ends its hold (posted, or expired if it lapsed): a change, so it is audited.
            var status = FromHold(await Ledger(r.RiderId).PostAsync(Code));
            var at = clock.GetUtcNow();
            state.State.Redemption = r with { Status = status, SubdistrictId = r.SubdistrictId ?? by.SubdistrictId };
            state.State.Confirmations.Add(new RedemptionConfirmation(by.OperatorId, by.SubdistrictId, at, status));
            await WriteAsync();
            logger.LogInformation("Voucher {Code} confirmed by operator {OperatorId} of {Subdistrict} at {At}: {Status}",
                Code, by.OperatorId, by.SubdistrictId, at, status);
        }
        return Result(state.State.Redemption!);
    }

    public async Task<RedemptionResult> CancelAsync(string riderId)
    {
        if (state.State.Redemption is not { } r)
        {
            return RedemptionResult.Refused(RedemptionOutcome.NotFound);
        }
        if (r.RiderId != riderId)
        {
            return RedemptionResult.Refused(RedemptionOutcome.NotYours);
        }
        if (r.Status == RedemptionStatus.Held)
        {
            var status = FromHold(await Ledger(r.RiderId).ReleaseAsync(Code));
            if (status != r.Status)
            {
                state.State.Redemption = r with { Status = status };
                await WriteAsync();
            }
        }
        return Result(state.State.Redemption!);
    }

    public Task<RedemptionResult> GetForRiderAsync(string riderId) => Task.FromResult(state.State.Redemption switch
    {
        null => RedemptionResult.Refused(RedemptionOutcome.NotFound),
        { } r when r.RiderId != riderId => RedemptionResult.Refused(RedemptionOutcome.NotYours),
        { } r => Result(r),
    });

    public Task<RedemptionResult> GetForOperatorAsync(VoucherOperator viewer) => Task.FromResult(state.State.Redemption switch
    {
        null => RedemptionResult.Refused(RedemptionOutcome.NotFound),
        { } r when !MayServe(r, viewer) => RedemptionResult.Refused(RedemptionOutcome.WrongSubdistrict),
        { } r => Result(r),
    });

    /// <summary>Rewards are handed over at partner service points of one subdistrict; a voucher not yet bound to one may be served anywhere.</summary>
    private static bool MayServe(Redemption r, VoucherOperator by) => r.SubdistrictId is null || r.SubdistrictId == by.SubdistrictId;

    private RedemptionResult Result(Redemption r)
    {
        // The ledger's sweep may not have run yet; never show a lapsed voucher as still usable.
        var shown = r.Status == RedemptionStatus.Held && clock.GetUtcNow() >= r.ExpiresAt ? r with { Status = RedemptionStatus.Expired } : r;
        return new RedemptionResult(RedemptionOutcome.Answered, shown, [.. state.State.Confirmations]);
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
