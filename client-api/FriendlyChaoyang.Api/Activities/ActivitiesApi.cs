using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Claims;
using FriendlyChaoyang.Activities;
using FriendlyChaoyang.Api.Auth;
using FriendlyChaoyang.Api.Idempotency;
using FriendlyChaoyang.Api.Security;
using FriendlyChaoyang.Api.Stations;
using FriendlyChaoyang.Api.Validation;
using FriendlyChaoyang.Stations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using QRCoder;

namespace FriendlyChaoyang.Api.Activities;

public sealed record NewActivityRequest(
    [property: Required(ErrorMessage = "Required, at most 200 characters."), StringLength(ActivityLimits.MaxTitleLength, ErrorMessage = "Required, at most {1} characters."),
        PlainText]
    string? Title,
    [property: Required(ErrorMessage = "One of: health_clinic, legal_advice, safety_talk, crafts, other."), WireEnum<ActivityKind>]
    string? Kind,
    [property: Required(ErrorMessage = "Required: when it starts (ISO 8601 with offset).")] DateTimeOffset? StartsAt,
    [property: Required(ErrorMessage = "Required: when it ends, after startsAt.")] DateTimeOffset? EndsAt,
    [property: Required(ErrorMessage = "Required: seats, from 1 to 10000."), Range(1, ActivityLimits.MaxCapacity, ErrorMessage = "Seats, from {1} to {2}.")]
    int? Capacity,
    [property: Range(0, ActivityLimits.MaxPoints, ErrorMessage = "From {1} to {2} (default 0).")] int? Points) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (StartsAt is { } starts && EndsAt is { } ends && ends <= starts)
        {
            yield return new ValidationResult("Must be after startsAt.", [nameof(EndsAt)]);
        }
    }

    public ActivityDefinition ToDefinition(string stationId) => new(
        stationId, Title!.Trim(), WireEnums.Parse<ActivityKind>(Kind!), StartsAt!.Value, EndsAt!.Value, Capacity!.Value, Points ?? 0);
}

/// <summary>The query of GET /api/v1/activities: a station, or a point and radius; a time window; a page.</summary>
public sealed record ActivitySearchRequest(
    string? StationId,
    [property: Range(-90d, 90d, ErrorMessage = "A latitude from {1} to {2}.")] double? Lat,
    [property: Range(-180d, 180d, ErrorMessage = "A longitude from {1} to {2}.")] double? Lon,
    [property: Range(0d, NearbyLimits.MaxRadiusM, MinimumIsExclusive = true, ErrorMessage = "Metres, more than {1} and at most {2}.")] double? Radius,
    DateTimeOffset? From,
    DateTimeOffset? To,
    [property: Range(1, ActivitiesApi.MaxPage, ErrorMessage = "From {1} to {2}.")] int? Page,
    [property: Range(1, ActivityLimits.MaxPageSize, ErrorMessage = "From {1} to {2}.")] int? PageSize) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (StationId is not null && !RouteIds.IsValid(StationId))
        {
            yield return new ValidationResult(RouteIds.Rule, [nameof(StationId)]);
        }
        else if ((StationId is null) == (Lat is null || Lon is null))
        {
            yield return new ValidationResult("Give either stationId, or lat and lon (with an optional radius).", [nameof(StationId)]);
        }
        if (From is { } from && To is { } to && to < from)
        {
            yield return new ValidationResult("Must not be before from.", [nameof(To)]);
        }
    }
}

public sealed record AttendanceRequest(
    [property: Required(ErrorMessage = "Required: the ticket the rider's QR code shows."), StringLength(64, ErrorMessage = "At most {1} characters.")]
    string? Ticket);

public sealed record AttendanceResponse(string RiderId, DateTimeOffset AttendedAt, bool FirstScan);

public static class ActivitiesApi
{
    public const int DefaultPageSize = 20;
    public const int MaxPage = 10_000;
    public const double DefaultRadiusM = 3000;
    public const int IdLength = 12;

    public static IEndpointRouteBuilder MapActivitiesApi(this IEndpointRouteBuilder app)
    {
        var staff = new AuthorizeAttribute { Roles = $"{Roles.Manager},{Roles.Operator}" };
        app.MapPost("/api/v1/stations/{id}/activities", CreateAsync).WithTags("Activities").RequireAuthorization(staff)
            .WithName("createActivity")
            .WithSummary("Publish an activity on the station's calendar.")
            .WithDescription("title (at most 200 characters), kind (health_clinic, legal_advice, safety_talk, crafts, other), startsAt and " +
                "endsAt (after startsAt), capacity (1-10000 seats) and points (0-1000, credited to each rider scanned in). The station's " +
                "appointed managers and its subdistrict's operators only (others 403). An optional Idempotency-Key header (scoped to " +
                "the caller) makes a repeat with the same body return the first activity; the same key with another body is 422.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        var activities = app.MapGroup("/api/v1/activities").WithTags("Activities");
        activities.MapGet("/", FindAsync)
            .WithName("findActivities")
            .WithSummary("The calendar: one station's activities, or those of stations nearby, soonest first.")
            .WithDescription("stationId, or lat and lon with radius in metres (more than 0, at most 20000, default 3000; the 50 nearest " +
                "stations in it). Activities that end at or after from (default now) and start at or before to (default: no limit); " +
                "a station's calendar keeps activities up to 30 days after their end (Stations__CalendarRetention). " +
                $"registered counts tickets; waitlisted counts riders waiting, those offered a seat included. page (from 1) and " +
                $"pageSize (1-100, default {DefaultPageSize}). Anonymous.");
        activities.MapPost("/{id}/registrations", RegisterAsync).RequireAuthorization(Policies.Rider)
            .WithName("registerForActivity")
            .WithSummary("Take a seat, or a place in the waitlist.")
            .WithDescription("status registered (with ticket, the secret the QR code encodes) while seats are free, else waitlisted with " +
                "position (1 = next), in the order registrations arrive. Repeating it answers where the rider stands (offered, with " +
                "offerExpiresAt, once a freed seat is held for them). An activity that has started is 409.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        activities.MapDelete("/{id}/registrations/me", CancelAsync).RequireAuthorization(Policies.Rider)
            .WithName("cancelActivityRegistration")
            .WithSummary("Give up the seat, the offer or the place in line.")
            .WithDescription("A freed seat is offered to the first rider waiting, who is notified and has until the offer expires " +
                "(default 2 h, never after the start) to accept; then it passes on. 404 when not registered; 409 once started.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        activities.MapPost("/{id}/registrations/me/accept", AcceptAsync).RequireAuthorization(Policies.Rider)
            .WithName("acceptActivitySeat")
            .WithSummary("Take the seat offered to you.")
            .WithDescription("status registered with a ticket. Repeating it answers the same. Still waiting (no seat on offer yet) or a " +
                "started activity is 409; not in line (never registered, cancelled, or the offer expired and passed on) is 404.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        activities.MapGet("/{id}/registrations/me/ticket.svg", TicketAsync).RequireAuthorization(Policies.Rider)
            .WithName("getActivityTicket")
            .WithSummary("The rider's ticket as a QR code (SVG).")
            .WithDescription("Encodes the ticket secret, for a manager to scan. 404 unless the rider holds a seat.")
            .Produces<string>(StatusCodes.Status200OK, "image/svg+xml")
            .ProducesProblem(StatusCodes.Status404NotFound);
        activities.MapPost("/{id}/attendance", RecordAttendanceAsync).RequireAuthorization(staff)
            .WithName("recordActivityAttendance")
            .WithSummary("Scan a rider's ticket in.")
            .WithDescription("{\"ticket\"} -> the rider and when they were first scanned; firstScan is false for a repeat, which changes " +
                "nothing. The activity's points are credited once per rider. The station's appointed managers and its subdistrict's " +
                "operators only (others 403); a ticket no registered rider holds is 400.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<Created<ActivityView>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        string id,
        NewActivityRequest request,
        ClaimsPrincipal user,
        IClusterClient cluster,
        IdempotentIds ids,
        [FromHeader(Name = IdempotencyKeys.Header), IdempotencyKey] string? idempotencyKey)
    {
        if (await cluster.StationRunByAsync(id, user) is { } refusal)
        {
            return refusal;
        }
        var caller = user.RiderId();
        var activityId = ids.IdFor("activity", caller, idempotencyKey, IdLength);
        var definition = request.ToDefinition(id);
        var fingerprint = RequestFingerprint.Of(id, definition.Title, request.Kind, definition.StartsAt.ToString("O", CultureInfo.InvariantCulture),
            definition.EndsAt.ToString("O", CultureInfo.InvariantCulture), Invariant(definition.Capacity), Invariant(definition.Points));
        var result = await cluster.GetGrain<IActivityGrain>(activityId).CreateAsync(new NewActivity(definition, caller, fingerprint));
        return result.Outcome switch
        {
            CreateActivityOutcome.Created => TypedResults.Created($"/api/v1/activities/{activityId}", result.Activity),
            _ => IdempotencyKeys.ReusedWithAnotherRequest("published another activity"),
        };
    }

    public static async Task<Ok<IReadOnlyList<ActivityView>>> FindAsync([AsParameters] ActivitySearchRequest request, IClusterClient cluster, TimeProvider clock)
    {
        var query = new ActivityQuery(request.StationId, request.Lat, request.Lon, request.Radius ?? DefaultRadiusM,
            request.From ?? clock.GetUtcNow(), request.To, request.Page ?? 1, request.PageSize ?? DefaultPageSize);
        return TypedResults.Ok(await cluster.GetGrain<IActivityFinderGrain>(0).FindAsync(query));
    }

    public static async Task<Results<Created<Registration>, ProblemHttpResult>> RegisterAsync(string id, ClaimsPrincipal user, IClusterClient cluster)
    {
        var result = await cluster.GetGrain<IActivityGrain>(id).RegisterAsync(user.RiderId());
        return result.Outcome == RegistrationOutcome.Answered
            ? TypedResults.Created($"/api/v1/activities/{id}/registrations/me", result.Registration)
            : Refusal(id, result.Outcome);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> CancelAsync(string id, ClaimsPrincipal user, IClusterClient cluster)
    {
        var result = await cluster.GetGrain<IActivityGrain>(id).CancelAsync(user.RiderId());
        return result.Outcome == RegistrationOutcome.Answered ? TypedResults.NoContent() : Refusal(id, result.Outcome);
    }

    public static async Task<Results<Ok<Registration>, ProblemHttpResult>> AcceptAsync(string id, ClaimsPrincipal user, IClusterClient cluster)
    {
        var result = await cluster.GetGrain<IActivityGrain>(id).AcceptAsync(user.RiderId());
        return result.Outcome == RegistrationOutcome.Answered ? TypedResults.Ok(result.Registration) : Refusal(id, result.Outcome);
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> TicketAsync(string id, ClaimsPrincipal user, IClusterClient cluster)
    {
        var result = await cluster.GetGrain<IActivityGrain>(id).GetRegistrationAsync(user.RiderId());
        if (result.Registration?.Ticket is not { } ticket)
        {
            return result.Outcome == RegistrationOutcome.UnknownActivity ? ActivityNotFound(id)
                : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No ticket.", detail: $"You hold no seat at activity {id}.");
        }
        using var generator = new QRCodeGenerator();
        using var code = generator.CreateQrCode(ticket, QRCodeGenerator.ECCLevel.M);
        return TypedResults.Text(new SvgQRCode(code).GetGraphic(8), "image/svg+xml");
    }

    public static async Task<Results<Ok<AttendanceResponse>, ValidationProblem, ProblemHttpResult>> RecordAttendanceAsync(
        string id, AttendanceRequest request, ClaimsPrincipal user, IClusterClient cluster)
    {
        var activity = cluster.GetGrain<IActivityGrain>(id);
        if (await activity.GetAsync() is not { } view)
        {
            return ActivityNotFound(id);
        }
        if (await cluster.StationRunByAsync(view.StationId, user) is { } refusal)
        {
            return refusal;
        }
        var result = await activity.RecordAttendanceAsync(request.Ticket!);
        return result.Outcome switch
        {
            AttendanceOutcome.Recorded => TypedResults.Ok(new AttendanceResponse(result.RiderId!, result.AttendedAt!.Value, result.FirstScan)),
            AttendanceOutcome.UnknownTicket => TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["ticket"] = [$"No rider holds this ticket for activity {id} (a cancelled seat's ticket is void)."],
            }),
            _ => ActivityNotFound(id),
        };
    }

    private static ProblemHttpResult Refusal(string id, RegistrationOutcome outcome) => outcome switch
    {
        RegistrationOutcome.UnknownActivity => ActivityNotFound(id),
        RegistrationOutcome.NotRegistered => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not registered.",
            detail: $"You are not registered for activity {id} (an offered seat you did not take in time has passed on)."),
        RegistrationOutcome.Started => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Activity started.",
            detail: $"Activity {id} has started: registrations and seats are closed."),
        RegistrationOutcome.NoOffer => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "No seat on offer.",
            detail: $"No seat at activity {id} is held for you yet: you are still waiting in line."),
        _ => throw new InvalidOperationException($"The activity grain answered {outcome}."),
    };

    private static ProblemHttpResult ActivityNotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such activity.", detail: $"There is no activity '{id}'.");

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
