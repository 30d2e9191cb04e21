using FriendlyChaoyang.Growth;
using FriendlyChaoyang.Notifications;
using FriendlyChaoyang.Persistence;
using FriendlyChaoyang.Points;
using FriendlyChaoyang.Riders;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FriendlyChaoyang.Commendations;

/// <summary>
/// One commendation. Not reentrant. Its points, their reversal, the rider's notification, growth record and the public
/// feed entry all go through its <see cref="Outbox"/>: recorded with the change that causes them, retried by the
/// reminder until acknowledged, and de-duplicated by the receivers, so each happens exactly once.
/// </summary>
public sealed class CommendationGrain(
    [PersistentState("commendation", StorageNames.Default)] IPersistentState<CommendationState> state,
    IOptions<CommendationOptions> options,
    TimeProvider clock,
    ILogger<CommendationGrain> logger) : Grain, ICommendationGrain, IRemindable
{
    private const string TickReminder = "commendation-tick";
    private readonly CommendationOptions _options = options.Value;
    private Outbox _outbox = null!;
    private OutboxReminder _deliveries = null!;
    private CommendationState S => state.State;
    private string CommendationId => this.GetPrimaryKeyString();
    private string CreditId => $"commendation:{CommendationId}";

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var settings = new OutboxSettings(TickReminder, _options.TickPeriod, _options.DeliveryTimeout);
        _outbox = new Outbox(this, GrainFactory, () => state.State, WriteAsync, settings, logger);
        _deliveries = new OutboxReminder(this, _outbox, settings, () => S.GrowthStale || S.FeedStale || S.ReversalPending, OwnDeliveries);
        return _deliveries.ActivateAsync();
    }

    public async Task<CommendationResult> CreateAsync(NewCommendation commendation)
    {
        ArgumentNullException.ThrowIfNull(commendation);
        if (S.Commendation is not null)
        {
            if (S.RequestFingerprint != commendation.RequestFingerprint)
            {
                return new CommendationResult(CommendationOutcome.DifferentRequest, null);
            }
            await _deliveries.DeliverAsync();
            return Answered();
        }
        var profile = await GrainFactory.GetGrain<IRiderGrain>(commendation.RiderId).GetProfileAsync();
        // Before the state changes: should registering fail, nothing was changed in memory either.
        await _deliveries.EnsureAsync();
        var points = _options.Points.For(commendation.Kind);
        var c = new RiderCommendation(CommendationId, commendation.RiderId, commendation.Kind, commendation.Text, commendation.Evidence,
            commendation.SubdistrictId, points, clock.GetUtcNow(), null);
        S.Commendation = c;
        S.RequestFingerprint = commendation.RequestFingerprint;
        S.RiderName = NameMask.Mask(profile.DisplayName);
        S.GrowthStale = S.FeedStale = true;
        if (points > 0)
        {
            _outbox.Award(c.RiderId, new LedgerCredit(CreditId, points, "commendation", CommendationId));
        }
        _outbox.Notify(c.RiderId, new NotificationDraft(CreditId, "commendation", null,
            points > 0 ? $"You were commended: {c.Text} (+{points} points)." : $"You were commended: {c.Text}"));
        await WriteAsync();
        logger.LogInformation("Commendation {CommendationId} ({Kind}) for rider {RiderId} by {OperatorId} of {SubdistrictId}",
            CommendationId, c.Kind, c.RiderId, commendation.OperatorId, c.SubdistrictId);
        await _deliveries.DeliverAsync();
        return Answered();
    }

    public async Task<CommendationResult> RevokeAsync(CommendationOperator by)
    {
        ArgumentNullException.ThrowIfNull(by);
        if (S.Commendation is not { } c)
        {
            return new CommendationResult(CommendationOutcome.NotFound, null);
        }
        if (by.SubdistrictId != c.SubdistrictId)
        {
            return new CommendationResult(CommendationOutcome.WrongSubdistrict, null);
        }
        if (c.RevokedAt is null)
        {
            await _deliveries.EnsureAsync();
            S.Commendation = c with { RevokedAt = clock.GetUtcNow() };
            S.GrowthStale = S.FeedStale = true;
            S.ReversalPending = c.Points > 0;
            _outbox.Notify(c.RiderId, new NotificationDraft($"{CreditId}:revoked", "commendation_revoked", null,
                c.Points > 0 ? $"A commendation was withdrawn: {c.Text} (-{c.Points} points)." : $"A commendation was withdrawn: {c.Text}"));
            await WriteAsync();
            logger.LogInformation("Commendation {CommendationId} revoked by {OperatorId}", CommendationId, by.OperatorId);
        }
        await _deliveries.DeliverAsync();
        return Answered();
    }

    public Task<RiderCommendation?> GetAsync() => Task.FromResult(S.Commendation);

    public Task ReceiveReminder(string reminderName, TickStatus status) => _deliveries.TickAsync(reminderName);

    private CommendationResult Answered() => new(CommendationOutcome.Answered, S.Commendation);

    /// <summary>What the growth record, the feed and the ledger's reversal have not acknowledged.</summary>
    private List<OutboxDelivery> OwnDeliveries()
    {
        var c = S.Commendation!;
        List<OutboxDelivery> entries = [];
        if (S.GrowthStale)
        {
            entries.Add(new OutboxDelivery(() => GrainFactory.GetGrain<IGrowthGrain>(c.RiderId).RecordCommendationAsync(c), () => S.GrowthStale = false));
        }
        if (S.FeedStale)
        {
            var entry = new PublicCommendation(c.Id, c.Kind, S.RiderName, c.Text, c.SubdistrictId, c.At);
            entries.Add(new OutboxDelivery(
                () => GrainFactory.GetGrain<ICommendationFeedGrain>(c.SubdistrictId).UpdateAsync(entry, c.RevokedAt is not null), () => S.FeedStale = false));
        }
        if (S.ReversalPending)
        {
            var reversal = new LedgerReversal($"{CreditId}:revoked", CreditId, "commendation_revoked", CommendationId);
            entries.Add(new OutboxDelivery(() => GrainFactory.GetGrain<IPointsLedgerGrain>(c.RiderId).ReverseAsync(reversal), () => S.ReversalPending = false));
        }
        return entries;
    }

    private Task WriteAsync() => state.WriteOrDeactivateAsync(this);
}
