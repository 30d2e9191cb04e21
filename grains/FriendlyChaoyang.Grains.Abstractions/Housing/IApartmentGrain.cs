using Orleans.Concurrency;

namespace FriendlyChaoyang.Housing;

/// <summary>
/// One apartment, keyed by its id: the single writer of its beds, its waiting line, the offers and the tenancies, so a
/// bed is never allocated twice. Applications reach it through the rider's <see cref="IRiderHousingGrain"/>, which
/// holds a rider to one application and one bed; every call here is safe to repeat (keyed by the application id).
/// </summary>
[Alias("fc.IApartmentGrain")]
public interface IApartmentGrain : IGrainWithStringKey
{
    /// <summary>Lists the apartment. A repeat with the same fingerprint returns the first result; a refusal stores nothing.</summary>
    [Alias("Create")]
    Task<CreateApartmentResult> CreateAsync(NewApartment apartment);

    /// <returns>Null for an id that was never listed.</returns>
    [Alias("Get")]
    Task<ApartmentView?> GetAsync();

    /// <summary>Puts the application at the end of the line (a free bed is offered at once). A repeat answers where it stands.</summary>
    [Alias("Apply")]
    Task<ApplicationStanding> ApplyAsync(string applicationId, string riderId);

    [Alias("GetApplication")]
    Task<ApplicationStanding> GetApplicationAsync(string applicationId);

    /// <summary>Allocates the bed on offer to the application. A repeat answers the same tenancy.</summary>
    [Alias("Accept")]
    Task<ApplicationStanding> AcceptAsync(string applicationId);

    /// <summary>Takes the application out of line; a bed on offer to it passes to the next in line. Answers Closed (or Allocated: too late).</summary>
    [Alias("Withdraw")]
    Task<ApplicationStanding> WithdrawAsync(string applicationId);

    /// <summary>Ends the tenancy and offers the bed to the next in line. A repeat answers the ended tenancy.</summary>
    [Alias("MoveOut")]
    Task<HousingResult> MoveOutAsync(string tenancyId, MoveOutBy by);

    /// <returns>Null for a tenancy this apartment never had.</returns>
    [Alias("GetTenancy")]
    Task<TenancyView?> GetTenancyAsync(string tenancyId);
}

/// <summary>
/// One rider's housing, keyed by rider id: at most one open application and one tenancy. Not reentrant, so a rider's
/// concurrent applications are decided one after the other. The apartment is the truth about an application's status;
/// this grain asks it whenever it matters (apply, accept, withdraw, read), so a crash between the two never leaves a
/// rider locked out or with two beds.
/// </summary>
[Alias("fc.IRiderHousingGrain")]
public interface IRiderHousingGrain : IGrainWithStringKey
{
    /// <summary>Applies for a bed. The same application id again (an Idempotency-Key replay) answers it, or DifferentRequest for another apartment.</summary>
    [Alias("Apply")]
    Task<HousingResult> ApplyAsync(string applicationId, string apartmentId);

    [Alias("Accept")]
    Task<HousingResult> AcceptAsync(string applicationId);

    [Alias("Withdraw")]
    Task<HousingResult> WithdrawAsync(string applicationId);

    [Alias("Get")]
    Task<RiderHousing> GetAsync();
}

/// <summary>Answers nearby apartment searches from the housing index (geo cells of apartment pins). Stateless.</summary>
[Alias("fc.IApartmentFinderGrain")]
public interface IApartmentFinderGrain : IGrainWithIntegerKey
{
    [Alias("Find")]
    Task<IReadOnlyList<NearbyApartment>> FindAsync(ApartmentQuery query);
}

/// <summary>One cell of the fixed geo grid (the stations' grid), holding the pins of the apartments in it.</summary>
[Alias("fc.IApartmentCellGrain")]
public interface IApartmentCellGrain : IGrainWithStringKey
{
    /// <summary>Adds the pin (a write only when it is new).</summary>
    [Alias("Add")]
    Task AddAsync(ApartmentPin pin);

    /// <summary>The pins within the radius whose rent is at most the cap, with their distance in metres.</summary>
    [ReadOnly, Alias("Query")]
    Task<IReadOnlyList<PinDistance>> QueryAsync(ApartmentQuery query);
}
