using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using FriendlyChaoyang.Api.Auth;
using FriendlyChaoyang.Api.Validation;
using FriendlyChaoyang.Riders;
using FriendlyChaoyang.Stations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FriendlyChaoyang.Api.Stations;

public sealed record CheckInRequest(bool Charging = false);

public sealed record CheckOutResponse(string StationId, DateTimeOffset CheckedInAt, DateTimeOffset CheckedOutAt);

/// <summary>The query of GET /api/v1/stations/nearby.</summary>
public sealed record NearbyRequest(
    [property: Required(ErrorMessage = "Required: a latitude from -90 to 90."), Range(-90d, 90d, ErrorMessage = "A latitude from {1} to {2}.")]
    double? Lat,
    [property: Required(ErrorMessage = "Required: a longitude from -180 to 180."), Range(-180d, 180d, ErrorMessage = "A longitude from {1} to {2}.")]
    double? Lon,
    [property: Range(0d, NearbyLimits.MaxRadiusM, MinimumIsExclusive = true, ErrorMessage = "Metres, more than {1} and at most {2}.")]
    double? Radius,
    [property: Range(1, NearbyLimits.MaxLimit, ErrorMessage = "From {1} to {2}.")]
    int? Limit,
    [property: WireEnum<StationNeed>] string? Need,
    [property: FromQuery(Name = "within_minutes"), Range(1, 120, ErrorMessage = "From {1} to {2}.")]
    int? WithinMinutes);

public static class StationsApi
{
    /// <summary>Assumed e-bike speed for <c>within_minutes</c>: 15 km/h, a rider's legal top speed for e-bikes in Beijing is 25 km/h but city traffic averages far less.</summary>
    public const double EbikeMetresPerMinute = 15_000.0 / 60;

    public const double DefaultRadiusM = 3000;
    public const int DefaultLimit = 10;

    public static IEndpointRouteBuilder MapStationsApi(this IEndpointRouteBuilder app)
    {
        var stations = app.MapGroup("/api/v1/stations").WithTags("Stations");
        stations.MapGet("/nearby", NearbyAsync)
            .Produces<IReadOnlyList<NearbyStation>>()
            .WithName("nearbyStations")
            .WithSummary("Nearest stations with live free seats, charging and swap ports.")
            .WithDescription("Nearest first, each with its distance in metres. radius in metres (more than 0, at most 20000, default 3000); " +
                "limit 1-50 (default 10); need = seat | charging | swap keeps only stations with that free; " +
                "within_minutes (1-120) caps the radius at the distance an e-bike covers at 15 km/h (250 m per minute). Anonymous.");
        stations.MapGet("/{id}", GetAsync)
            .WithName("getStation")
            .WithSummary("One station with amenities and riders present.")
            .WithDescription("The station's live seats, charging and swap ports, its amenities, how many riders are checked in and its managers' " +
                "names (双站长: community, company). Anonymous.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        stations.MapPost("/{id}/check-ins", CheckInAsync).RequireAuthorization(Policies.Rider)
            .WithName("checkIn")
            .WithSummary("Check in at the station (or move here from another one).")
            .WithDescription("Takes a seat, and with {\"charging\":true} a charging port too. Repeating it returns the same check-in; checking in " +
                "while at another station moves the rider. A full station answers 409 whose 'alternatives' lists up to 3 nearest stations with room.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        stations.MapPost("/{id}/check-out", CheckOutAsync).RequireAuthorization(Policies.Rider)
            .WithName("checkOut")
            .WithSummary("Check out of the station.")
            .WithDescription("Frees the rider's seat (and charging port). 409 if the rider is not checked in there.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    /// <summary>
    /// Nearby is every rider's first request and the lunch peak's most frequent: the API answers it from its own copy of
    /// the station index (refreshed from the geo cells like a silo's, see <see cref="StationIndexCopy"/>), so a search
    /// costs no grain call.
    /// </summary>
    public static IServiceCollection AddNearbySearch(this IServiceCollection services) => services.AddStationIndexCopy();

    public static async Task<JsonHttpResult<IReadOnlyList<NearbyStation>>> NearbyAsync([AsParameters] NearbyRequest request, StationIndexCopy index)
    {
        var radiusM = request.Radius ?? DefaultRadiusM;
        if (request.WithinMinutes is { } minutes)
        {
            radiusM = Math.Min(radiusM, minutes * EbikeMetresPerMinute);
        }
        var need = request.Need is null ? StationNeed.Any : WireEnums.Parse<StationNeed>(request.Need);
        var found = await index.FindNearbyAsync(new NearbyQuery(request.Lat!.Value, request.Lon!.Value, radiusM, request.Limit ?? DefaultLimit, need));
        return TypedResults.Json(Rounded(found), NearbyJson.Default.IReadOnlyListNearbyStation);
    }

    public static async Task<Results<Ok<StationSnapshot>, ProblemHttpResult>> GetAsync(string id, IClusterClient cluster)
    {
        var station = await cluster.GetGrain<IStationGrain>(id).GetAsync();
        return station is null ? StationProblems.NotFound(id) : TypedResults.Ok(station);
    }

    public static async Task<Results<Ok<CheckIn>, ProblemHttpResult>> CheckInAsync(
        string id, [FromBody] CheckInRequest? request, ClaimsPrincipal user, IClusterClient cluster)
    {
        var charging = request?.Charging ?? false;
        var result = await cluster.GetGrain<IRiderGrain>(user.RiderId()).CheckInAsync(id, charging);
        return result.Status switch
        {
            CheckInStatus.Admitted => TypedResults.Ok(result.CheckIn),
            CheckInStatus.UnknownStation => StationProblems.NotFound(id),
            _ => TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: result.Status == CheckInStatus.NoFreeChargingPort ? "No free charging port." : "No free seat.",
                detail: $"Station {id} is full; the nearest stations with room are listed in 'alternatives'.",
                extensions: new Dictionary<string, object?> { ["alternatives"] = Rounded(result.Alternatives) }),
        };
    }

    public static async Task<Results<Ok<CheckOutResponse>, ProblemHttpResult>> CheckOutAsync(
        string id, ClaimsPrincipal user, IClusterClient cluster)
    {
        var result = await cluster.GetGrain<IRiderGrain>(user.RiderId()).CheckOutAsync(id);
        return result.Status switch
        {
            CheckOutStatus.CheckedOut => TypedResults.Ok(new CheckOutResponse(result.StationId, result.CheckedInAt!.Value, result.CheckedOutAt!.Value)),
            CheckOutStatus.UnknownStation => StationProblems.NotFound(id),
            _ => TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict, title: "Not checked in.", detail: $"You are not checked in at station {id}."),
        };
    }

    // Decimetres are plenty for a rider; the grains keep full precision so ordering is exact.
    public static IReadOnlyList<NearbyStation> Rounded(IReadOnlyList<NearbyStation> stations) =>
        [.. stations.Select(s => s with { DistanceM = Math.Round(s.DistanceM, 1) })];
}
