using FriendlyChaoyang.Catalog;
using FriendlyChaoyang.Notifications;
using FriendlyChaoyang.Persistence;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FriendlyChaoyang.Wishes;

/// <summary>
/// One micro-wish. Not reentrant: each step checks the status and moves it in one turn, so of two operators claiming at
/// once exactly one wins. Every step notifies the rider and refreshes the wish lists through the <see cref="Outbox"/>.
/// </summary>
public sealed class WishGrain(
    [PersistentState("wish", StorageNames.Default)] IPersistentState<WishState> state,
    CatalogData catalog,
    IOptions<WishOptions> options,
    TimeProvider clock,
    ILogger<WishGrain> logger) : Grain, IWishGrain, IRemindable
{
    private const string TickReminder = "wish-tick";
    private readonly WishOptions _options = options.Value;
    private Outbox _outbox = null!;
    private OutboxReminder _deliveries = null!;
    private WishState S => state.State;
    private string WishId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var settings = new OutboxSettings(TickReminder, _options.TickPeriod, _options.DeliveryTimeout);
        _outbox = new Outbox(this, GrainFactory, () => state.State, WriteAsync, settings, logger);
        _deliveries = new OutboxReminder(this, _outbox, settings, () => S.SubdistrictListStale || S.RiderListStale, ListDeliveries);
        return _deliveries.ActivateAsync();
    }

    public async Task<WishResult> PostAsync(NewWish wish)
    {
        ArgumentNullException.ThrowIfNull(wish);
        if (S.Wish is not null)
        {
            return S.RequestFingerprint == wish.RequestFingerprint ? Answered() : new WishResult(WishOutcome.DifferentRequest, null);
        }
        if (!catalog.Subdistricts.Any(s => s.Id == wish.SubdistrictId))
        {
            return new WishResult(WishOutcome.UnknownSubdistrict, null);
        }
        await _deliveries.EnsureAsync();
        var now = clock.GetUtcNow();
        S.RequestFingerprint = wish.RequestFingerprint;
        return await MoveAsync(new WishView(WishId, wish.RiderId, wish.Text, wish.Kind, WishStatus.Open, wish.SubdistrictId, now, now, null, null),
            $"Your wish \"{wish.Text}\" is posted; the subdistrict's staff will see it.");
    }

    public Task<WishView?> GetAsync() => Task.FromResult(S.Wish);

    public async Task<WishResult> ClaimAsync(WishOperator by)
    {
        ArgumentNullException.ThrowIfNull(by);
        if (Refusal(by) is { } refusal)
        {
            return refusal;
        }
        var w = S.Wish!;
        return w.Status switch
        {
            WishStatus.Open => await MoveAsync(w with { Status = WishStatus.Claimed, ClaimedBy = by.OperatorId },
                $"Your wish \"{w.Text}\" was claimed: someone is working on it."),
            WishStatus.Claimed when w.ClaimedBy == by.OperatorId => await RepeatAsync(),
            WishStatus.Claimed => new WishResult(WishOutcome.AlreadyClaimed, w),
            _ => new WishResult(WishOutcome.Illegal, w),
        };
    }

    public async Task<WishResult> FulfilAsync(WishOperator by)
    {
        ArgumentNullException.ThrowIfNull(by);
        if (Refusal(by) is { } refusal)
        {
            return refusal;
        }
        var w = S.Wish!;
        return w.Status switch
        {
            WishStatus.Open => new WishResult(WishOutcome.Illegal, w),
            _ when w.ClaimedBy != by.OperatorId => new WishResult(WishOutcome.NotYours, w),
            WishStatus.Claimed => await MoveAsync(w with { Status = WishStatus.Fulfilled },
                $"Your wish \"{w.Text}\" is fulfilled. Please confirm: POST /api/v1/wishes/{WishId}/confirm"),
            WishStatus.Fulfilled => await RepeatAsync(),
            _ => new WishResult(WishOutcome.Illegal, w),
        };
    }

    public async Task<WishResult> ConfirmAsync(string riderId)
    {
        if (S.Wish is not { } w)
        {
            return new WishResult(WishOutcome.NotFound, null);
        }
        if (w.RiderId != riderId)
        {
            return new WishResult(WishOutcome.NotYours, null);
        }
        return w.Status switch
        {
            WishStatus.Fulfilled => await MoveAsync(w with { Status = WishStatus.Closed }, $"Thank you for confirming: your wish \"{w.Text}\" is closed."),
            WishStatus.Closed => await RepeatAsync(),
            _ => new WishResult(WishOutcome.Illegal, w),
        };
    }

    public async Task<WishResult> RejectAsync(WishOperator by, string note)
    {
        ArgumentNullException.ThrowIfNull(by);
        if (Refusal(by) is { } refusal)
        {
            return refusal;
        }
        var w = S.Wish!;
        return w.Status switch
        {
            WishStatus.Open or WishStatus.Claimed => await MoveAsync(w with { Status = WishStatus.Rejected, Note = note },
                $"Your wish \"{w.Text}\" could not be taken up: {note}"),
            WishStatus.Rejected => await RepeatAsync(),
            _ => new WishResult(WishOutcome.Illegal, w),
        };
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => _deliveries.TickAsync(reminderName);

    /// <summary>Unknown wishes and operators of another subdistrict change nothing.</summary>
    private WishResult? Refusal(WishOperator by) =>
        S.Wish is not { } w ? new WishResult(WishOutcome.NotFound, null)
        : w.SubdistrictId != by.SubdistrictId ? new WishResult(WishOutcome.WrongSubdistrict, null)
        : null;

    /// <summary>Stores the wish's next view with the rider's notification of it and the lists' refresh, then delivers them.</summary>
    private async Task<WishResult> MoveAsync(WishView next, string text)
    {
        // Before the state changes: should registering fail, nothing was changed in memory either.
        await _deliveries.EnsureAsync();
        S.Wish = next with { UpdatedAt = clock.GetUtcNow() };
        S.SubdistrictListStale = S.RiderListStale = true;
        var status = next.Status.ToString().ToLowerInvariant();
        _outbox.Notify(next.RiderId, new NotificationDraft($"wish:{WishId}:{status}", "wish_" + status, null, text));
        await WriteAsync();
        logger.LogInformation("Wish {WishId} is {Status}", WishId, next.Status);
        await _deliveries.DeliverAsync();
        return Answered();
    }

    /// <summary>A retried step: answers as the first did and pushes anything still undelivered.</summary>
    private async Task<WishResult> RepeatAsync()
    {
        await _deliveries.DeliverAsync();
        return Answered();
    }

    private WishResult Answered() => new(WishOutcome.Answered, S.Wish);

    /// <summary>The lists that have not acknowledged the latest view.</summary>
    private List<OutboxDelivery> ListDeliveries()
    {
        var w = S.Wish!;
        List<OutboxDelivery> entries = [];
        if (S.SubdistrictListStale)
        {
            entries.Add(new OutboxDelivery(
                () => GrainFactory.GetGrain<IWishListGrain>(WishLists.OfSubdistrict(w.SubdistrictId)).UpdateAsync(w), () => S.SubdistrictListStale = false));
        }
        if (S.RiderListStale)
        {
            entries.Add(new OutboxDelivery(
                () => GrainFactory.GetGrain<IWishListGrain>(WishLists.OfRider(w.RiderId)).UpdateAsync(w), () => S.RiderListStale = false));
        }
        return entries;
    }

    private Task WriteAsync() => state.WriteOrDeactivateAsync(this);
}
