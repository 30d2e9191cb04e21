using FriendlyChaoyang.Persistence;

namespace FriendlyChaoyang.Housing;

/// <summary>
/// One rider's housing: the open application and the bed. Not reentrant, so one rider's requests are decided one after
/// another and a rider never has two open applications. It records an application before the apartment hears of it, and
/// treats the apartment as the truth about it afterwards (<see cref="ReconcileAsync"/>): a crash or a lost answer between
/// the two only means the next request repeats the call, which the apartment answers as before. A bed can only be taken
/// through <see cref="AcceptAsync"/> here, for the one open application, and only while the rider has no bed.
/// </summary>
public sealed class RiderHousingGrain(
    [PersistentState("riderHousing", StorageNames.Default)] IPersistentState<RiderHousingState> state) : Grain, IRiderHousingGrain
{
    /// <summary>How many finished applications are kept for Idempotency-Key replays.</summary>
    private const int PastKept = 10;

    private RiderHousingState S => state.State;
    private string RiderId => this.GetPrimaryKeyString();

    public async Task<HousingResult> ApplyAsync(string applicationId, string apartmentId)
    {
        var current = await ReconcileAsync();
        if (Replay(applicationId) is { } replayed)
        {
            if (replayed.ApartmentId != apartmentId)
            {
                return HousingResult.Refused(HousingOutcome.DifferentRequest);
            }
            if (replayed != S.Open)
            {
                return replayed.FirstAnswer is { } first ? new HousingResult(HousingOutcome.Answered, first, null) : HousingResult.Refused(HousingOutcome.Closed);
            }
        }
        else if (S.Open is not null)
        {
            return HousingResult.Refused(HousingOutcome.AlreadyApplied, current);
        }
        else if (S.Tenancy is { } tenancy)
        {
            return HousingResult.Refused(HousingOutcome.AlreadyHoused, null, tenancy);
        }
        else
        {
            // Asked first so that an unknown apartment leaves no trace here.
            if (await Apartment(apartmentId).GetAsync() is null)
            {
                return HousingResult.Refused(HousingOutcome.NoSuchApartment);
            }
            // Recorded before the apartment hears of it: from here on, whatever happens, this rider has this application.
            S.Open = new RiderApplication(applicationId, apartmentId, null);
            await WriteAsync();
            current = await SendAsync(S.Open);
        }
        if (current is null)
        {
            return HousingResult.Refused(HousingOutcome.Closed);
        }
        if (S.Open is { FirstAnswer: null } open)
        {
            S.Open = open with { FirstAnswer = current };
            await WriteAsync();
        }
        return new HousingResult(HousingOutcome.Answered, current, null);
    }

    public async Task<HousingResult> AcceptAsync(string applicationId)
    {
        await ReconcileAsync();
        if (S.TenancyApplicationId == applicationId && S.Tenancy is { } tenancy)
        {
            return new HousingResult(HousingOutcome.Answered, null, tenancy);
        }
        if (S.Open is not { } open || open.Id != applicationId)
        {
            return HousingResult.Refused(Replay(applicationId) is null ? HousingOutcome.NoSuchApplication : HousingOutcome.Closed);
        }
        var standing = await Apartment(open.ApartmentId).AcceptAsync(applicationId);
        var current = await RecordAsync(open, standing);
        return standing.Phase switch
        {
            ApplicationPhase.Allocated when S.Tenancy is { } allocated => new HousingResult(HousingOutcome.Answered, null, allocated),
            ApplicationPhase.Waiting or ApplicationPhase.Unknown => HousingResult.Refused(HousingOutcome.NoOffer, current),
            _ => HousingResult.Refused(HousingOutcome.Closed),
        };
    }

    public async Task<HousingResult> WithdrawAsync(string applicationId)
    {
        await ReconcileAsync();
        if (S.TenancyApplicationId == applicationId && S.Tenancy is { } tenancy)
        {
            return HousingResult.Refused(HousingOutcome.AlreadyAllocated, null, tenancy);
        }
        if (S.Open is not { } open || open.Id != applicationId)
        {
            return HousingResult.Refused(HousingOutcome.NoSuchApplication);
        }
        var standing = await Apartment(open.ApartmentId).WithdrawAsync(applicationId);
        await RecordAsync(open, standing);
        return standing.Phase == ApplicationPhase.Allocated
            ? HousingResult.Refused(HousingOutcome.AlreadyAllocated, null, S.Tenancy)
            : new HousingResult(HousingOutcome.Answered, null, null);
    }

    public async Task<RiderHousing> GetAsync()
    {
        var application = await ReconcileAsync();
        return new RiderHousing(application, S.Tenancy);
    }

    /// <summary>
    /// Brings this grain in line with the apartments: an application that was allocated, withdrawn or whose offer
    /// expired is over; a tenancy the rider moved out of (or was moved out of) is gone; an application the apartment
    /// never received is sent again.
    /// </summary>
    /// <returns>The open application as it stands now, or null.</returns>
    private async Task<ApplicationView?> ReconcileAsync()
    {
        if (S.Tenancy is { } tenancy && (await Apartment(tenancy.ApartmentId).GetTenancyAsync(tenancy.Id))?.EndedAt is not null)
        {
            S.Tenancy = null;
            S.TenancyApplicationId = null;
            await WriteAsync();
        }
        if (S.Open is not { } open)
        {
            return null;
        }
        var standing = await Apartment(open.ApartmentId).GetApplicationAsync(open.Id);
        return standing.Phase == ApplicationPhase.Unknown ? await SendAsync(open) : await RecordAsync(open, standing);
    }

    private async Task<ApplicationView?> SendAsync(RiderApplication open) =>
        await RecordAsync(open, await Apartment(open.ApartmentId).ApplyAsync(open.Id, RiderId));

    /// <summary>Records what the apartment said about the open application.</summary>
    /// <returns>The application while it is open, else null.</returns>
    private async Task<ApplicationView?> RecordAsync(RiderApplication open, ApplicationStanding standing)
    {
        switch (standing.Phase)
        {
            case ApplicationPhase.Waiting or ApplicationPhase.Offered:
                return standing.Application;
            case ApplicationPhase.Allocated:
                S.Tenancy = standing.Tenancy!.EndedAt is null ? standing.Tenancy : null;
                S.TenancyApplicationId = S.Tenancy is null ? null : open.Id;
                break;
            case ApplicationPhase.Unknown:
                // Still on its way (only after a withdraw refused to know it, which closes it): nothing to record.
                return null;
        }
        // Over: allocated, closed, or the apartment is gone.
        S.Open = null;
        S.Past.Add(open);
        if (S.Past.Count > PastKept)
        {
            S.Past.RemoveAt(0);
        }
        await WriteAsync();
        return null;
    }

    private RiderApplication? Replay(string applicationId) =>
        S.Open?.Id == applicationId ? S.Open : S.Past.FirstOrDefault(a => a.Id == applicationId);

    private IApartmentGrain Apartment(string apartmentId) => GrainFactory.GetGrain<IApartmentGrain>(apartmentId);

    private Task WriteAsync() => state.WriteOrDeactivateAsync(this);
}
