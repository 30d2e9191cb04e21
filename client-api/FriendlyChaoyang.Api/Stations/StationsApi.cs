using System.Security.Claims;
using FriendlyChaoyang.Api.Auth;
using FriendlyChaoyang.Riders;
using FriendlyChaoyang.Stations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FriendlyChaoyang.Api.Stations;

public sealed record CheckInRequest(bool Charging = false);

public sealed record CheckOutResponse(string StationId, DateTimeOffset CheckedInAt, DateTimeOffset CheckedOutAt);

public static class StationsApi
{
    /// <summary>Assumed e-bike speed for <c>within_minutes</c>: 15 km/h, a rider's legal top speed for e-bikes in Beijing is 25 km/h but city traffic averages far less.</summary>
    public const double EbikeMetresPerMinute = 15_000.0 / 60;

    public static IEndpointRouteBuilder MapStationsApi(this IEndpointRouteBuilder app)
    {
        var stations = app.MapGroup("/api/v1/stations").WithTags("Stations");
        stations.MapGet("/nearby", NearbyAsync)
            .WithSummary("Nearest stations with live free seats, charging and swap ports.")
            .WithDescription("radius in metres (1-20000, default 3000); limit 1-50 (default 10); need = seat | charging | swap; " +
                "within_minutes (1-120) caps the radius at the distance an e-bike covers at 15 km/h (250 m per minute).");
        stations.MapGet("/{id}", GetAsync).WithSummary("One station with amenities and riders present.");
        stations.MapPost("/{id}/check-ins", CheckInAsync).RequireAuthorization(Policies.Rider)
            .WithSummary("Check in (or move here from another station). Repeating it returns the same check-in.");
        stations.MapPost("/{id}/check-out", CheckOutAsync).RequireAuthorization(Policies.Rider)
            .WithSummary("Check out of the station.");
        return app;
    }

    public static async Task<Results<Ok<IReadOnlyList<NearbyStation>>, ValidationProblem>> NearbyAsync(
        IClusterClient cluster,
        double? lat,
        double? lon,
        double? radius,
        int? limit,
        string? need,
        [FromQuery(Name = "within_minutes")] int? withinMinutes)
    {
        var errors = new Dictionary<string, string[]>();
        if (lat is not (>= -90 and <= 90))
        {
            errors["lat"] = ["Required: a latitude from -90 to 90."];
        }
        if (lon is not (>= -180 and <= 180))
        {
            errors["lon"] = ["Required: a longitude from -180 to 180."];
        }
        if (radius is { } r && !(r > 0 && r <= NearbyLimits.MaxRadiusM))
        {
            errors["radius"] = [$"Metres, more than 0 and at most {NearbyLimits.MaxRadiusM:0}."];
        }
        if (limit is { } l && !(l >= 1 && l <= NearbyLimits.MaxLimit))
        {
            errors["limit"] = [$"From 1 to {NearbyLimits.MaxLimit}."];
        }
        if (withinMinutes is { } w && !(w >= 1 && w <= 120))
        {
            errors["within_minutes"] = ["From 1 to 120."];
        }
        var parsedNeed = need switch
        {
            null => StationNeed.Any,
            "seat" => StationNeed.Seat,
            "charging" => StationNeed.Charging,
            "swap" => StationNeed.Swap,
            _ => (StationNeed?)null,
        };
        if (parsedNeed is null)
        {
            errors["need"] = ["One of: seat, charging, swap."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var radiusM = radius ?? 3000;
        if (withinMinutes is { } minutes)
        {
            radiusM = Math.Min(radiusM, minutes * EbikeMetresPerMinute);
        }
        var found = await cluster.GetGrain<IStationFinderGrain>(0)
            .FindNearbyAsync(new NearbyQuery(lat!.Value, lon!.Value, radiusM, limit ?? 10, parsedNeed!.Value));
        return TypedResults.Ok(Rounded(found));
    }

    public static async Task<Results<Ok<StationSnapshot>, ProblemHttpResult>> GetAsync(string id, IClusterClient cluster)
    {
        var station = await cluster.GetGrain<IStationGrain>(id).GetAsync();
        return station is null ? StationNotFound(id) : TypedResults.Ok(station);
    }

    public static async Task<Results<Ok<CheckIn>, ProblemHttpResult>> CheckInAsync(
        string id, [FromBody] CheckInRequest? request, ClaimsPrincipal user, IClusterClient cluster)
    {
        var charging = request?.Charging ?? false;
        var result = await cluster.GetGrain<IRiderGrain>(user.RiderId()).CheckInAsync(id, charging);
        return result.Status switch
        {
            CheckInStatus.Admitted => TypedResults.Ok(result.CheckIn),
            CheckInStatus.UnknownStation => StationNotFound(id),
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
            CheckOutStatus.UnknownStation => StationNotFound(id),
            _ => TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict, title: "Not checked in.", detail: $"You are not checked in at station {id}."),
        };
    }

    // Decimetres are plenty for a rider; the grains keep full precision so ordering is exact.
    private static IReadOnlyList<NearbyStation> Rounded(IReadOnlyList<NearbyStation> stations) =>
        [.. stations.Select(s => s with { DistanceM = Math.Round(s.DistanceM, 1) })];

    private static ProblemHttpResult StationNotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such station.", detail: $"There is no station '{id}'.");
}
