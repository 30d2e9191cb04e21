using FriendlyChaoyang.Catalog;
using FriendlyChaoyang.Geo;
using FriendlyChaoyang.Notifications;
using FriendlyChaoyang.Persistence;
using FriendlyChaoyang.Stations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace FriendlyChaoyang.Housing;

/// <summary>
/// One apartment: its beds, the waiting line in arrival order, bed offers and tenancies. Reentrant so that a rush of
/// applications shares PostgreSQL writes (<see cref="GroupCommit"/>), as the activity grain does: each call decides and
/// changes the state in one synchronous step (so no two calls can hand out the same bed) and answers only once the
/// write holding its change has committed. Offers expire on the apartment's reminder (and on any call that finds one
/// past its time), so they survive silo restarts; notifications go through its <see cref="Outbox"/>.
/// Stored through <see cref="StorageNames.Batched"/>: a rush of applications to many apartments shares its commits.
/// </summary>
[Reentrant]
public sealed class ApartmentGrain(
    [PersistentState("apartment", StorageNames.Batched)] IPersistentState<ApartmentState> state,
    IOptions<HousingOptions> options,
    CatalogData catalog,
    TimeProvider clock,
    ILogger<ApartmentGrain> logger) : Grain, IApartmentGrain, IRemindable
{
    private const string TickReminder = "apartment-tick";
    private readonly HousingOptions _options = options.Value;
    private GroupCommit _commit = null!;
    private Outbox _outbox = null!;
    private ActivationReminder _tickReminder = null!;
    private ApartmentState S => state.State;
    private string ApartmentId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _commit = new GroupCommit(() => state.WriteOrDeactivateAsync(this));
        _tickReminder = new ActivationReminder(this, TickReminder, _options.TickPeriod);
        // As in the activity grain: acknowledgements ride on the group commit, and receivers ignore a cause id they have seen.
        _outbox = new Outbox(this, GrainFactory, () => state.State, WriteAsync,
            new OutboxSettings(TickReminder, _options.TickPeriod, _options.DeliveryTimeout), logger);
        if (NeedsTicks)
        {
            await _tickReminder.EnsureAsync();
        }
    }

    public async Task<CreateApartmentResult> CreateAsync(NewApartment apartment)
    {
        ArgumentNullException.ThrowIfNull(apartment);
        if (S.Listing is not null)
        {
            await _commit.WhenDurableAsync();
            return S.RequestFingerprint == apartment.RequestFingerprint
                ? new CreateApartmentResult(CreateApartmentOutcome.Created, View(), S.SubdistrictId, null)
                : new CreateApartmentResult(CreateApartmentOutcome.DifferentRequest, null, null, null);
        }
        var listing = apartment.Listing;
        if (!ServiceArea.Contains(listing.Lat, listing.Lon))
        {
            return new CreateApartmentResult(CreateApartmentOutcome.OutsideServiceArea, null, null, null);
        }
        var subdistrictId = catalog.NearestSubdistrict(listing.Lat, listing.Lon).Id;
        if (subdistrictId != apartment.OperatorSubdistrictId)
        {
            return new CreateApartmentResult(CreateApartmentOutcome.NotYourSubdistrict, null, subdistrictId, null);
        }
        var band = _options.RentBand;
        if (listing.RentMonthly < band.Min || listing.RentMonthly > band.Max)
        {
            return new CreateApartmentResult(CreateApartmentOutcome.RentOutsideBand, null, subdistrictId, band);
        }
        // The index lists the apartment first: should the write below fail, a search meets an id with no apartment and
        // skips it; the other order could store an apartment no search ever finds.
        var cellKey = GeoGrid.CellKey(listing.Lat, listing.Lon);
        await GrainFactory.GetGrain<IGeoCellDirectoryGrain>(HousingIndex.DirectoryKey).RegisterAsync(cellKey);
        await GrainFactory.GetGrain<IApartmentCellGrain>(cellKey).AddAsync(new ApartmentPin(ApartmentId, listing.Lat, listing.Lon, listing.RentMonthly));
        if (S.Listing is not null)
        {
            return await CreateAsync(apartment); // A concurrent repeat listed it meanwhile.
        }
        S.Listing = listing;
        S.SubdistrictId = subdistrictId;
        S.RequestFingerprint = apartment.RequestFingerprint;
        S.CreatedBy = apartment.CreatedBy;
        S.CreatedAt = clock.GetUtcNow();
        await WriteAsync();
        logger.LogInformation("Apartment {ApartmentId} with {Beds} beds listed in {SubdistrictId} by {CreatedBy}",
            ApartmentId, listing.Beds, subdistrictId, apartment.CreatedBy);
        return new CreateApartmentResult(CreateApartmentOutcome.Created, View(), subdistrictId, null);
    }

    public async Task<ApartmentView?> GetAsync()
    {
        if (S.Listing is null)
        {
            return null;
        }
        await ExpireDueOffersAsync();
        return View();
    }

    public async Task<ApplicationStanding> ApplyAsync(string applicationId, string riderId)
    {
        if (S.Listing is null)
        {
            return ApplicationStanding.Of(ApplicationPhase.NoSuchApartment);
        }
        var now = clock.GetUtcNow();
        var notified = ExpireDueOffers(now);
        var isNew = Standing(applicationId).Phase == ApplicationPhase.Unknown;
        if (isNew)
        {
            S.Line.Add(new QueuedApplication(applicationId, riderId));
            notified |= OfferFreeBeds(now);
        }
        // The answer as decided: a position counts the applications received before this one.
        var answer = Standing(applicationId);
        await CommitAsync(isNew, notified);
        return answer;
    }

    public async Task<ApplicationStanding> GetApplicationAsync(string applicationId)
    {
        if (S.Listing is null)
        {
            return ApplicationStanding.Of(ApplicationPhase.NoSuchApartment);
        }
        await CommitAsync(false, ExpireDueOffers(clock.GetUtcNow()));
        return Standing(applicationId);
    }

    public async Task<ApplicationStanding> AcceptAsync(string applicationId)
    {
        if (S.Listing is null)
        {
            return ApplicationStanding.Of(ApplicationPhase.NoSuchApartment);
        }
        var now = clock.GetUtcNow();
        var notified = ExpireDueOffers(now);
        var allocated = S.Offers.Remove(applicationId, out var offer);
        if (allocated)
        {
            var tenancyId = HousingLimits.TenancyId(ApartmentId, ++S.TenanciesStarted);
            S.Tenancies[tenancyId] = new Tenancy(applicationId, offer!.RiderId, offer.Bed, now, null);
            logger.LogInformation("Apartment {ApartmentId}: bed {Bed} allocated to {RiderId} ({TenancyId})", ApartmentId, offer.Bed, offer.RiderId, tenancyId);
        }
        var answer = Standing(applicationId);
        await CommitAsync(allocated, notified);
        return answer;
    }

    public async Task<ApplicationStanding> WithdrawAsync(string applicationId)
    {
        if (S.Listing is null)
        {
            return ApplicationStanding.Of(ApplicationPhase.NoSuchApartment);
        }
        var now = clock.GetUtcNow();
        var notified = ExpireDueOffers(now);
        var open = Standing(applicationId).Phase is ApplicationPhase.Waiting or ApplicationPhase.Offered or ApplicationPhase.Unknown;
        if (open)
        {
            S.Line.RemoveAll(a => a.ApplicationId == applicationId);
            S.Offers.Remove(applicationId);
            // Closed even when unknown: an apply still on its way (its sender timed out) must not queue it after all.
            S.Closed.Add(applicationId);
            notified |= OfferFreeBeds(now);
        }
        var answer = Standing(applicationId);
        await CommitAsync(open, notified);
        return answer;
    }

    public async Task<HousingResult> MoveOutAsync(string tenancyId, MoveOutBy by)
    {
        ArgumentNullException.ThrowIfNull(by);
        if (S.Listing is null || !S.Tenancies.TryGetValue(tenancyId, out var tenancy))
        {
            return HousingResult.Refused(HousingOutcome.NoSuchTenancy);
        }
        var allowed = (by.RiderId is not null && by.RiderId == tenancy.RiderId) || (by.SubdistrictId is not null && by.SubdistrictId == S.SubdistrictId);
        if (!allowed)
        {
            return HousingResult.Refused(HousingOutcome.NotYours);
        }
        var now = clock.GetUtcNow();
        var notified = ExpireDueOffers(now);
        var ending = tenancy.EndedAt is null;
        if (ending)
        {
            S.Tenancies[tenancyId] = tenancy with { EndedAt = now };
            logger.LogInformation("Apartment {ApartmentId}: {RiderId} moved out of bed {Bed}", ApartmentId, tenancy.RiderId, tenancy.Bed);
            notified |= OfferFreeBeds(now);
        }
        var answer = new HousingResult(HousingOutcome.Answered, null, TenancyView(tenancyId));
        await CommitAsync(ending, notified);
        return answer;
    }

    public async Task<TenancyView?> GetTenancyAsync(string tenancyId)
    {
        await _commit.WhenDurableAsync();
        return S.Tenancies.ContainsKey(tenancyId) ? TenancyView(tenancyId) : null;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != TickReminder)
        {
            return;
        }
        if (S.Listing is not null)
        {
            await ExpireDueOffersAsync();
            await _outbox.DeliverAsync();
        }
        await _tickReminder.UnregisterWhenIdleAsync(() => !NeedsTicks);
    }

    /// <summary>A bed on offer must expire, or something is undelivered.</summary>
    private bool NeedsTicks => S.Offers.Count > 0 || _outbox.HasPending;

    private Task ExpireDueOffersAsync() => CommitAsync(false, ExpireDueOffers(clock.GetUtcNow()));

    /// <summary>Closes offers past their expiry and passes their beds on to the next in line. Synchronous: callers commit after.</summary>
    /// <returns>Whether anything changed (and so someone is to be told).</returns>
    private bool ExpireDueOffers(DateTimeOffset now)
    {
        var expired = S.Offers.Where(o => o.Value.ExpiresAt <= now).ToList();
        if (expired.Count == 0)
        {
            return false;
        }
        foreach (var (applicationId, offer) in expired)
        {
            S.Offers.Remove(applicationId);
            S.Closed.Add(applicationId);
            _outbox.Notify(offer.RiderId, new NotificationDraft($"housing:{ApartmentId}:offer-expired:{applicationId}", "housing_offer_expired", null,
                $"The bed offered to you at \"{S.Listing!.Name}\" was not accepted in time and has passed to the next rider in line. You may apply again."));
        }
        OfferFreeBeds(now);
        return true;
    }

    /// <summary>Offers every free bed to the first applications in line.</summary>
    /// <returns>Whether a bed was offered (and its rider is to be told).</returns>
    private bool OfferFreeBeds(DateTimeOffset now)
    {
        var free = new Queue<int>(FreeBeds());
        var offered = false;
        while (free.Count > 0 && S.Line.Count > 0)
        {
            var next = S.Line[0];
            S.Line.RemoveAt(0);
            var offer = new BedOffer(next.RiderId, free.Dequeue(), now + _options.OfferTtl);
            S.Offers[next.ApplicationId] = offer;
            _outbox.Notify(next.RiderId, new NotificationDraft($"housing:{ApartmentId}:offer:{next.ApplicationId}", "housing_bed_offered", null,
                $"A bed at \"{S.Listing!.Name}\" ({S.Listing.RentMonthly} CNY a month) is free for you until " +
                $"{offer.ExpiresAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC. Accept it: POST /api/v1/housing/applications/{next.ApplicationId}/accept"));
            offered = true;
        }
        return offered;
    }

    /// <summary>Bed numbers (from 1) neither offered nor lived in, lowest first.</summary>
    private IEnumerable<int> FreeBeds()
    {
        var taken = S.Offers.Values.Select(o => o.Bed).Concat(S.Tenancies.Values.Where(t => t.EndedAt is null).Select(t => t.Bed)).ToHashSet();
        return Enumerable.Range(1, S.Listing!.Beds).Where(bed => !taken.Contains(bed));
    }

    private ApplicationStanding Standing(string applicationId)
    {
        if (S.Offers.TryGetValue(applicationId, out var offer))
        {
            return new ApplicationStanding(ApplicationPhase.Offered,
                new ApplicationView(applicationId, ApartmentId, ApplicationStatus.Offered, 0, offer.ExpiresAt), null);
        }
        var index = S.Line.FindIndex(a => a.ApplicationId == applicationId);
        if (index >= 0)
        {
            return new ApplicationStanding(ApplicationPhase.Waiting,
                new ApplicationView(applicationId, ApartmentId, ApplicationStatus.Waiting, index + 1, null), null);
        }
        if (S.Tenancies.FirstOrDefault(t => t.Value.ApplicationId == applicationId).Key is { } tenancyId)
        {
            return new ApplicationStanding(ApplicationPhase.Allocated, null, TenancyView(tenancyId));
        }
        return ApplicationStanding.Of(S.Closed.Contains(applicationId) ? ApplicationPhase.Closed : ApplicationPhase.Unknown);
    }

    private TenancyView TenancyView(string tenancyId)
    {
        var t = S.Tenancies[tenancyId];
        return new TenancyView(tenancyId, ApartmentId, t.Bed, t.Since, t.EndedAt);
    }

    private ApartmentView View()
    {
        var l = S.Listing!;
        return new ApartmentView(ApartmentId, l.Name, S.SubdistrictId!, l.Lat, l.Lon, l.RentMonthly,
            new BedCount(l.Beds, FreeBeds().Count()), S.Line.Count, l.Amenities);
    }

    /// <summary>
    /// Answers only once every change so far is stored (a change this call made, or one it read, made by a call still
    /// writing). With <paramref name="notified"/>, keeps the reminder up (an offer to expire) and delivers the notifications.
    /// Call right after changing the state, with no await in between: the change rides on the next write.
    /// </summary>
    private async Task CommitAsync(bool changed, bool notified)
    {
        if (changed || notified)
        {
            _commit.MarkChanged();
        }
        await _commit.WhenDurableAsync();
        if (notified)
        {
            await _tickReminder.EnsureAsync();
            await _outbox.DeliverAsync();
        }
    }

    private Task WriteAsync()
    {
        _commit.MarkChanged();
        return _commit.WhenDurableAsync();
    }
}
