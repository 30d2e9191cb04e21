using System.Security.Cryptography;
using FriendlyChaoyang.Growth;
using FriendlyChaoyang.Notifications;
using FriendlyChaoyang.Persistence;
using FriendlyChaoyang.Points;
using FriendlyChaoyang.Stations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace FriendlyChaoyang.Activities;

/// <summary>
/// One activity: seats, the waitlist in arrival order, seat offers, tickets and attendance. Reentrant so that a rush
/// of registrations shares PostgreSQL writes (<see cref="GroupCommit"/>), as the station grain does: each call decides
/// and changes the state in one synchronous step (so each registration sees every earlier one, in the order the grain
/// received them) and answers only once the write holding its change has committed. Offers expire and points and
/// notifications are retried by the activity's reminder, so both survive a silo restart; points and notifications go
/// through its <see cref="Outbox"/> with ids derived from their cause, so a rider is paid once for attending however
/// often the ticket is scanned.
/// </summary>
[Reentrant]
public sealed class ActivityGrain(
    [PersistentState("activity", StorageNames.Default)] IPersistentState<ActivityState> state,
    IOptions<ActivityOptions> options,
    TimeProvider clock,
    ILogger<ActivityGrain> logger) : Grain, IActivityGrain, IRemindable
{
    private const string TickReminder = "activity-tick";
    private readonly ActivityOptions _options = options.Value;
    private readonly Dictionary<string, string> _ticketHolders = new(StringComparer.Ordinal);
    private GroupCommit _commit = null!;
    private Outbox _outbox = null!;
    private ActivationReminder _tickReminder = null!;
    private ActivityState S => state.State;
    private string ActivityId => this.GetPrimaryKeyString();
    private int SeatsHeld => S.Tickets.Count + S.Offers.Count;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _commit = new GroupCommit(() => state.WriteOrDeactivateAsync(this));
        _tickReminder = new ActivationReminder(this, TickReminder, _options.TickPeriod);
        // The outbox records its acknowledgements through the group commit too, so writes never overlap. Deliveries
        // running beside other calls are safe: each item is removed on its own acknowledgement, and receivers ignore
        // a cause id they have seen, should two calls deliver the same item.
        _outbox = new Outbox(this, GrainFactory, () => state.State, WriteAsync,
            new OutboxSettings(TickReminder, _options.TickPeriod, _options.DeliveryTimeout), logger);
        foreach (var (riderId, ticket) in S.Tickets)
        {
            _ticketHolders[ticket] = riderId;
        }
        if (NeedsTicks)
        {
            await _tickReminder.EnsureAsync();
        }
    }

    public async Task<CreateActivityResult> CreateAsync(NewActivity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (S.Definition is not null)
        {
            return S.RequestFingerprint == activity.RequestFingerprint
                ? new CreateActivityResult(CreateActivityOutcome.Created, View())
                : new CreateActivityResult(CreateActivityOutcome.DifferentRequest, null);
        }
        var d = activity.Definition;
        // The station lists the id first: should the write below fail, its calendar names an activity that does not
        // exist, which searches skip; the other order could store an activity no search ever finds.
        await GrainFactory.GetGrain<IStationGrain>(d.StationId).AddActivityAsync(new StationActivity(ActivityId, d.StartsAt, d.EndsAt));
        if (S.Definition is not null)
        {
            return await CreateAsync(activity); // A concurrent repeat created it meanwhile.
        }
        S.Definition = d;
        S.RequestFingerprint = activity.RequestFingerprint;
        S.CreatedAt = clock.GetUtcNow();
        await WriteAsync();
        logger.LogInformation("Activity {ActivityId} published at {StationId} by {CreatedBy}", ActivityId, d.StationId, activity.CreatedBy);
        return new CreateActivityResult(CreateActivityOutcome.Created, View());
    }

    public async Task<ActivityView?> GetAsync()
    {
        await _commit.WhenDurableAsync();
        return S.Definition is null ? null : View();
    }

    public async Task<RegistrationResult> RegisterAsync(string riderId)
    {
        if (S.Definition is not { } d)
        {
            return RegistrationResult.Refused(RegistrationOutcome.UnknownActivity);
        }
        if (Standing(riderId) is { } standing)
        {
            await _commit.WhenDurableAsync();
            return Answered(standing);
        }
        if (clock.GetUtcNow() >= d.StartsAt)
        {
            return RegistrationResult.Refused(RegistrationOutcome.Started);
        }
        if (SeatsHeld < d.Capacity && S.Waitlist.Count == 0)
        {
            Seat(riderId);
        }
        else
        {
            S.Waitlist.Add(riderId);
        }
        // The answer as decided: a position counts the riders received before this one.
        var answer = Answered(Standing(riderId)!);
        await WriteAsync();
        return answer;
    }

    public async Task<RegistrationResult> CancelAsync(string riderId)
    {
        if (S.Definition is not { } d)
        {
            return RegistrationResult.Refused(RegistrationOutcome.UnknownActivity);
        }
        if (Standing(riderId) is null)
        {
            return RegistrationResult.Refused(RegistrationOutcome.NotRegistered);
        }
        var now = clock.GetUtcNow();
        // From the start on, the roster is what the tickets are scanned against.
        if (now >= d.StartsAt)
        {
            return RegistrationResult.Refused(RegistrationOutcome.Started);
        }
        if (S.Tickets.Remove(riderId, out var ticket))
        {
            _ticketHolders.Remove(ticket);
        }
        else if (!S.Offers.Remove(riderId))
        {
            S.Waitlist.Remove(riderId);
        }
        OfferFreeSeats(now);
        await WriteAsync();
        await DeliverAsync();
        return new RegistrationResult(RegistrationOutcome.Answered, null);
    }

    public async Task<RegistrationResult> AcceptAsync(string riderId)
    {
        if (S.Definition is null)
        {
            return RegistrationResult.Refused(RegistrationOutcome.UnknownActivity);
        }
        if (S.Tickets.ContainsKey(riderId))
        {
            await _commit.WhenDurableAsync();
            return Answered(Standing(riderId)!);
        }
        if (!S.Offers.TryGetValue(riderId, out var expiresAt))
        {
            return RegistrationResult.Refused(Standing(riderId) is null ? RegistrationOutcome.NotRegistered : RegistrationOutcome.NoOffer);
        }
        var now = clock.GetUtcNow();
        if (now >= expiresAt)
        {
            // The reminder has not come round yet: pass the seat on now, as it would have (offers end at the start at
            // the latest). The rider is out of line either way.
            await ExpireOffersAsync(now);
            return RegistrationResult.Refused(RegistrationOutcome.NotRegistered);
        }
        S.Offers.Remove(riderId);
        Seat(riderId);
        var answer = Answered(Standing(riderId)!);
        await WriteAsync();
        return answer;
    }

    public async Task<RegistrationResult> GetRegistrationAsync(string riderId)
    {
        // Never show a place before it is durable.
        await _commit.WhenDurableAsync();
        return S.Definition is null ? RegistrationResult.Refused(RegistrationOutcome.UnknownActivity)
            : Standing(riderId) is { } standing ? Answered(standing)
            : RegistrationResult.Refused(RegistrationOutcome.NotRegistered);
    }

    public async Task<AttendanceResult> RecordAttendanceAsync(string ticket)
    {
        if (S.Definition is not { } d)
        {
            return new AttendanceResult(AttendanceOutcome.UnknownActivity, null, null, false);
        }
        if (!_ticketHolders.TryGetValue(ticket, out var riderId))
        {
            return new AttendanceResult(AttendanceOutcome.UnknownTicket, null, null, false);
        }
        if (S.Attended.TryGetValue(riderId, out var attendedAt))
        {
            // A repeated scan changes nothing; it only pushes anything still undelivered.
            await _commit.WhenDurableAsync();
            await DeliverOutboxAsync();
            return new AttendanceResult(AttendanceOutcome.Recorded, riderId, attendedAt, false);
        }
        attendedAt = clock.GetUtcNow();
        S.Attended[riderId] = attendedAt;
        S.GrowthStale.Add(riderId);
        if (d.Points > 0)
        {
            _outbox.Award(riderId, new LedgerCredit($"activity:{ActivityId}:attended:{riderId}", d.Points, "activity_attended", ActivityId));
        }
        _outbox.Notify(riderId, new NotificationDraft($"activity:{ActivityId}:attended:{riderId}", "activity_attended", null,
            d.Points > 0 ? $"Thank you for joining \"{d.Title}\": +{d.Points} points." : $"Thank you for joining \"{d.Title}\"."));
        await WriteAsync();
        await DeliverAsync();
        return new AttendanceResult(AttendanceOutcome.Recorded, riderId, attendedAt, true);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != TickReminder)
        {
            return;
        }
        if (S.Definition is not null)
        {
            await ExpireOffersAsync(clock.GetUtcNow());
            await DeliverOutboxAsync();
        }
        await _tickReminder.UnregisterWhenIdleAsync(() => !NeedsTicks);
    }

    /// <summary>A seat on offer must expire, or something is undelivered.</summary>
    private bool NeedsTicks => S.Offers.Count > 0 || _outbox.HasPending || S.GrowthStale.Count > 0;

    /// <summary>The outbox, plus the attendances the riders' growth records have not acknowledged.</summary>
    private Task DeliverOutboxAsync() => _outbox.DeliverAsync([.. S.GrowthStale.Select(riderId => new OutboxDelivery(
        () => GrainFactory.GetGrain<IGrowthGrain>(riderId).RecordAttendanceAsync(ActivityId), () => S.GrowthStale.Remove(riderId)))]);

    /// <summary>Drops offers past their expiry and passes the seats on to the next riders in line.</summary>
    private async Task ExpireOffersAsync(DateTimeOffset now)
    {
        var expired = S.Offers.Where(o => o.Value <= now).ToList();
        if (expired.Count == 0)
        {
            return;
        }
        foreach (var (riderId, expiresAt) in expired)
        {
            S.Offers.Remove(riderId);
            _outbox.Notify(riderId, new NotificationDraft($"activity:{ActivityId}:offer-expired:{riderId}:{expiresAt.UtcTicks}",
                "activity_offer_expired", null, $"The seat offered to you at \"{S.Definition!.Title}\" has passed to the next rider in line."));
        }
        OfferFreeSeats(now);
        await WriteAsync();
        await DeliverAsync();
    }

    /// <summary>Offers every free seat to the first riders waiting, until the activity starts.</summary>
    private void OfferFreeSeats(DateTimeOffset now)
    {
        var d = S.Definition!;
        if (now >= d.StartsAt)
        {
            return;
        }
        while (SeatsHeld < d.Capacity && S.Waitlist.Count > 0)
        {
            var riderId = S.Waitlist[0];
            S.Waitlist.RemoveAt(0);
            var expiresAt = Min(now + _options.OfferTtl, d.StartsAt);
            S.Offers[riderId] = expiresAt;
            _outbox.Notify(riderId, new NotificationDraft($"activity:{ActivityId}:offer:{riderId}:{expiresAt.UtcTicks}", "activity_seat_offered", null,
                $"A seat at \"{d.Title}\" is free for you until {expiresAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC. Accept it: " +
                $"POST /api/v1/activities/{ActivityId}/registrations/me/accept"));
        }
    }

    private void Seat(string riderId)
    {
        // 128 random bits: a ticket is the rider's proof of a seat, so it must not be guessable from anything else.
        var ticket = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        S.Tickets[riderId] = ticket;
        _ticketHolders[ticket] = riderId;
    }

    private Registration? Standing(string riderId)
    {
        if (S.Tickets.TryGetValue(riderId, out var ticket))
        {
            return new Registration(RegistrationStatus.Registered, null, ticket, null);
        }
        if (S.Offers.TryGetValue(riderId, out var expiresAt))
        {
            return new Registration(RegistrationStatus.Offered, null, null, expiresAt);
        }
        var index = S.Waitlist.IndexOf(riderId);
        return index < 0 ? null : new Registration(RegistrationStatus.Waitlisted, index + 1, null, null);
    }

    private static RegistrationResult Answered(Registration registration) => new(RegistrationOutcome.Answered, registration);

    private async Task DeliverAsync()
    {
        if (NeedsTicks)
        {
            await _tickReminder.EnsureAsync();
        }
        await DeliverOutboxAsync();
    }

    private ActivityView View()
    {
        var d = S.Definition!;
        return new ActivityView(ActivityId, d.StationId, d.Title, d.Kind, d.StartsAt, d.EndsAt, d.Capacity,
            S.Tickets.Count, S.Waitlist.Count + S.Offers.Count, d.Points);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>Call right after changing the state, with no await in between: the change rides on the next write.</summary>
    private Task WriteAsync()
    {
        _commit.MarkChanged();
        return _commit.WhenDurableAsync();
    }
}
