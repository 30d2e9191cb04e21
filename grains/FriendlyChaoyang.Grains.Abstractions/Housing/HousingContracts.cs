namespace FriendlyChaoyang.Housing;

/// <summary>What an operator lists: an apartment of the affordable-bed programme (一张床、一间房).</summary>
[GenerateSerializer, Immutable, Alias("fc.ApartmentListing")]
public sealed record ApartmentListing(
    [property: Id(0)] string Name,
    [property: Id(1)] double Lat,
    [property: Id(2)] double Lon,
    [property: Id(3)] int RentMonthly,
    [property: Id(4)] int Beds,
    [property: Id(5)] IReadOnlyList<string> Amenities);

/// <param name="OperatorSubdistrictId">The subdistrict the listing operator serves; the apartment must lie in it.</param>
/// <param name="RequestFingerprint">Of the create request, so a replayed Idempotency-Key with another body is told apart.</param>
[GenerateSerializer, Immutable, Alias("fc.NewApartment")]
public sealed record NewApartment(
    [property: Id(0)] ApartmentListing Listing,
    [property: Id(1)] string OperatorSubdistrictId,
    [property: Id(2)] string CreatedBy,
    [property: Id(3)] string RequestFingerprint);

[GenerateSerializer, Immutable, Alias("fc.BedCount")]
public sealed record BedCount([property: Id(0)] int Total, [property: Id(1)] int Free);

/// <param name="Waiting">Riders in line for a bed (those offered one not counted).</param>
[GenerateSerializer, Immutable, Alias("fc.ApartmentView")]
public sealed record ApartmentView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string SubdistrictId,
    [property: Id(3)] double Lat,
    [property: Id(4)] double Lon,
    [property: Id(5)] int RentMonthly,
    [property: Id(6)] BedCount Beds,
    [property: Id(7)] int Waiting,
    [property: Id(8)] IReadOnlyList<string> Amenities);

[GenerateSerializer, Immutable, Alias("fc.NearbyApartment")]
public sealed record NearbyApartment(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string SubdistrictId,
    [property: Id(3)] double Lat,
    [property: Id(4)] double Lon,
    [property: Id(5)] double DistanceM,
    [property: Id(6)] int RentMonthly,
    [property: Id(7)] BedCount Beds,
    [property: Id(8)] int Waiting,
    [property: Id(9)] IReadOnlyList<string> Amenities);

/// <summary>The programme's monthly rent band in CNY (configuration; default 600-1200).</summary>
[GenerateSerializer, Immutable, Alias("fc.RentBand")]
public sealed record RentBand([property: Id(0)] int Min, [property: Id(1)] int Max);

[GenerateSerializer, Alias("fc.CreateApartmentOutcome")]
public enum CreateApartmentOutcome
{
    Created = 0,
    DifferentRequest = 1,
    RentOutsideBand = 2,
    /// <summary>The apartment lies in another subdistrict than the one the operator serves.</summary>
    NotYourSubdistrict = 3,
    OutsideServiceArea = 4,
}

/// <param name="SubdistrictId">Where the apartment lies (also on a refusal for another subdistrict).</param>
/// <param name="Band">The band a refused rent fell outside.</param>
[GenerateSerializer, Immutable, Alias("fc.CreateApartmentResult")]
public sealed record CreateApartmentResult(
    [property: Id(0)] CreateApartmentOutcome Outcome,
    [property: Id(1)] ApartmentView? Apartment,
    [property: Id(2)] string? SubdistrictId,
    [property: Id(3)] RentBand? Band);

/// <summary>Where an application stands, as the rider sees it.</summary>
[GenerateSerializer, Alias("fc.ApplicationStatus")]
public enum ApplicationStatus
{
    Waiting = 0,
    /// <summary>A bed is held for the rider until <c>OfferExpiresAt</c>; accept it to move in.</summary>
    Offered = 1,
    Allocated = 2,
}

/// <param name="Position">1 = next in line while waiting; 0 once a bed is on offer.</param>
[GenerateSerializer, Immutable, Alias("fc.ApplicationView")]
public sealed record ApplicationView(
    [property: Id(0)] string Id,
    [property: Id(1)] string ApartmentId,
    [property: Id(2)] ApplicationStatus Status,
    [property: Id(3)] int Position,
    [property: Id(4)] DateTimeOffset? OfferExpiresAt);

/// <param name="EndedAt">When the tenant moved out; null while they live there.</param>
[GenerateSerializer, Immutable, Alias("fc.TenancyView")]
public sealed record TenancyView(
    [property: Id(0)] string Id,
    [property: Id(1)] string ApartmentId,
    [property: Id(2)] int Bed,
    [property: Id(3)] DateTimeOffset Since,
    [property: Id(4)] DateTimeOffset? EndedAt);

/// <summary>What the apartment knows of one application: the single source of truth for its status.</summary>
[GenerateSerializer, Alias("fc.ApplicationPhase")]
public enum ApplicationPhase
{
    Waiting = 0,
    Offered = 1,
    Allocated = 2,
    /// <summary>Withdrawn, or its offer expired and the bed passed on: the application is over.</summary>
    Closed = 3,
    /// <summary>The apartment never received it.</summary>
    Unknown = 4,
    NoSuchApartment = 5,
}

/// <param name="Application">While waiting or offered.</param>
/// <param name="Tenancy">Once allocated.</param>
[GenerateSerializer, Immutable, Alias("fc.ApplicationStanding")]
public sealed record ApplicationStanding(
    [property: Id(0)] ApplicationPhase Phase,
    [property: Id(1)] ApplicationView? Application,
    [property: Id(2)] TenancyView? Tenancy)
{
    public static ApplicationStanding Of(ApplicationPhase phase) => new(phase, null, null);
}

/// <summary>Who asks to end a tenancy: the tenant (RiderId) or an operator (SubdistrictId, which must be the apartment's).</summary>
[GenerateSerializer, Immutable, Alias("fc.MoveOutBy")]
public sealed record MoveOutBy([property: Id(0)] string? RiderId, [property: Id(1)] string? SubdistrictId);

[GenerateSerializer, Alias("fc.HousingOutcome")]
public enum HousingOutcome
{
    Answered = 0,
    NoSuchApartment = 1,
    /// <summary>The rider has no such open application (never, another rider's, or over).</summary>
    NoSuchApplication = 2,
    /// <summary>The rider already has an open application (one at a time).</summary>
    AlreadyApplied = 3,
    /// <summary>The rider already has a bed.</summary>
    AlreadyHoused = 4,
    /// <summary>An Idempotency-Key replayed for another apartment.</summary>
    DifferentRequest = 5,
    /// <summary>Accept while still waiting in line.</summary>
    NoOffer = 6,
    /// <summary>The offer expired (the bed passed on) or the application was withdrawn meanwhile.</summary>
    Closed = 7,
    /// <summary>Withdraw after the bed was allocated: move out instead.</summary>
    AlreadyAllocated = 8,
    NoSuchTenancy = 9,
    /// <summary>A move-out by someone who is neither the tenant nor an operator of the apartment's subdistrict.</summary>
    NotYours = 10,
}

[GenerateSerializer, Immutable, Alias("fc.HousingResult")]
public sealed record HousingResult(
    [property: Id(0)] HousingOutcome Outcome,
    [property: Id(1)] ApplicationView? Application,
    [property: Id(2)] TenancyView? Tenancy)
{
    public static HousingResult Refused(HousingOutcome outcome, ApplicationView? application = null, TenancyView? tenancy = null) =>
        new(outcome, application, tenancy);
}

/// <summary>GET /api/v1/riders/me/housing: the rider's open application and current tenancy, each null when none.</summary>
[GenerateSerializer, Immutable, Alias("fc.RiderHousing")]
public sealed record RiderHousing([property: Id(0)] ApplicationView? Application, [property: Id(1)] TenancyView? Tenancy);

/// <summary>A nearby search: apartments within <c>RadiusM</c> of a point, rent at most <c>MaxRent</c>, nearest first.</summary>
[GenerateSerializer, Immutable, Alias("fc.ApartmentQuery")]
public sealed record ApartmentQuery(
    [property: Id(0)] double Lat,
    [property: Id(1)] double Lon,
    [property: Id(2)] double RadiusM,
    [property: Id(3)] int? MaxRent,
    [property: Id(4)] int Page,
    [property: Id(5)] int PageSize);

/// <summary>Where an apartment stands in the search index: what a search filters and sorts on.</summary>
[GenerateSerializer, Immutable, Alias("fc.ApartmentPin")]
public sealed record ApartmentPin(
    [property: Id(0)] string Id,
    [property: Id(1)] double Lat,
    [property: Id(2)] double Lon,
    [property: Id(3)] int RentMonthly);

[GenerateSerializer, Immutable, Alias("fc.PinDistance")]
public sealed record PinDistance([property: Id(0)] ApartmentPin Pin, [property: Id(1)] double DistanceM);

public static class HousingLimits
{
    public const int MaxNameLength = 100;
    public const int MaxBeds = 1_000;
    public const int MaxAmenities = 20;
    public const int MaxAmenityLength = 40;

    /// <summary>Tenancy ids name their apartment ("{apartmentId}.{n}"), so an operator's move-out reaches it without an index.</summary>
    public const char TenancySeparator = '.';

    public static string TenancyId(string apartmentId, int number) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{apartmentId}{TenancySeparator}{number}");

    /// <returns>The apartment a tenancy id names, or null for an id that names none.</returns>
    public static string? ApartmentOfTenancy(string tenancyId)
    {
        ArgumentNullException.ThrowIfNull(tenancyId);
        var at = tenancyId.LastIndexOf(TenancySeparator);
        return at > 0 && at < tenancyId.Length - 1 ? tenancyId[..at] : null;
    }
}
