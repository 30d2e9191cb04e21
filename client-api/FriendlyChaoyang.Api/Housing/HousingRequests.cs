using System.ComponentModel.DataAnnotations;
using System.Globalization;
using FriendlyChaoyang.Api.Idempotency;
using FriendlyChaoyang.Api.Security;
using FriendlyChaoyang.Api.Validation;
using FriendlyChaoyang.Geo;
using FriendlyChaoyang.Housing;
using FriendlyChaoyang.Stations;

namespace FriendlyChaoyang.Api.Housing;

/// <summary>POST /api/v1/housing/apartments. The rent band is the grain's rule (configuration), checked there.</summary>
public sealed record NewApartmentRequest(
    [property: Required(ErrorMessage = "Required, at most 100 characters."), StringLength(HousingLimits.MaxNameLength, ErrorMessage = "Required, at most {1} characters."),
        PlainText]
    string? Name,
    [property: Required(ErrorMessage = "Required: a latitude in Beijing (39.44 to 41.06).")] double? Lat,
    [property: Required(ErrorMessage = "Required: a longitude in Beijing (115.42 to 117.51).")] double? Lon,
    [property: Required(ErrorMessage = "Required: the monthly rent of a bed in CNY.")] int? RentMonthly,
    [property: Required(ErrorMessage = "Required: the number of beds, from 1 to 1000."), Range(1, HousingLimits.MaxBeds, ErrorMessage = "From {1} to {2}.")]
    int? Beds,
    [property: MaxLength(HousingLimits.MaxAmenities, ErrorMessage = "At most {1} amenities.")] IReadOnlyList<string?>? Amenities) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Lat is { } lat && lat is not (>= ServiceArea.MinLat and <= ServiceArea.MaxLat))
        {
            yield return new ValidationResult($"A latitude in Beijing, from {ServiceArea.MinLat} to {ServiceArea.MaxLat}.", [nameof(Lat)]);
        }
        if (Lon is { } lon && lon is not (>= ServiceArea.MinLon and <= ServiceArea.MaxLon))
        {
            yield return new ValidationResult($"A longitude in Beijing, from {ServiceArea.MinLon} to {ServiceArea.MaxLon}.", [nameof(Lon)]);
        }
        if (Amenities?.Any(a => string.IsNullOrWhiteSpace(a) || a.Length > HousingLimits.MaxAmenityLength || !PlainTextAttribute.IsPlain(a, multiline: false)) == true)
        {
            yield return new ValidationResult($"Each amenity: 1-{HousingLimits.MaxAmenityLength} characters of plain text.", [nameof(Amenities)]);
        }
    }

    public ApartmentListing ToListing() =>
        new(Name!.Trim(), Lat!.Value, Lon!.Value, RentMonthly!.Value, Beds!.Value, [.. (Amenities ?? []).Select(a => a!.Trim())]);

    public string Fingerprint()
    {
        var l = ToListing();
        return RequestFingerprint.Of(l.Name, Invariant(l.Lat), Invariant(l.Lon), Invariant(l.RentMonthly), Invariant(l.Beds), string.Join('\n', l.Amenities));
    }

    private static string Invariant(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);
}

/// <summary>The query of GET /api/v1/housing/apartments.</summary>
public sealed record ApartmentSearchRequest(
    [property: Required(ErrorMessage = "Required: a latitude from -90 to 90."), Range(-90d, 90d, ErrorMessage = "A latitude from {1} to {2}.")]
    double? Lat,
    [property: Required(ErrorMessage = "Required: a longitude from -180 to 180."), Range(-180d, 180d, ErrorMessage = "A longitude from {1} to {2}.")]
    double? Lon,
    [property: Range(0d, NearbyLimits.MaxRadiusM, MinimumIsExclusive = true, ErrorMessage = "Metres, more than {1} and at most {2}.")] double? Radius,
    [property: Range(1, 1_000_000, ErrorMessage = "CNY a month, from {1} to {2}.")] int? MaxRent,
    [property: Range(1, PageRequest.MaxPage, ErrorMessage = "From {1} to {2}.")] int? Page,
    [property: Range(1, PageRequest.MaxPageSize, ErrorMessage = "From {1} to {2}.")] int? PageSize)
{
    public const double DefaultRadiusM = 5000;

    public ApartmentQuery ToQuery() =>
        new(Lat!.Value, Lon!.Value, Radius ?? DefaultRadiusM, MaxRent, Page ?? 1, PageSize ?? PageRequest.DefaultPageSize);
}

public sealed record ApplicationRequest(
    [property: Required(ErrorMessage = "Required: the id of the apartment to apply for."),
        RegularExpression(@"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}\z", ErrorMessage = RouteIds.Rule)]
    string? ApartmentId);

/// <summary>POST .../accept: the bed the rider now has.</summary>
public sealed record AllocationResponse(ApplicationStatus Status, int Bed, string TenancyId);

public sealed record TenancyResponse(string Id, string ApartmentId, int Bed, DateTimeOffset Since)
{
    public static TenancyResponse? Of(TenancyView? t) => t is null ? null : new(t.Id, t.ApartmentId, t.Bed, t.Since);
}

public sealed record RiderHousingResponse(ApplicationView? Application, TenancyResponse? Tenancy);

public sealed record MoveOutResponse(string Id, string ApartmentId, int Bed, DateTimeOffset Since, DateTimeOffset MovedOutAt);
