using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using FriendlyChaoyang.Api.Auth;
using FriendlyChaoyang.Api.Stations;
using FriendlyChaoyang.Api.Validation;
using FriendlyChaoyang.Ports;
using FriendlyChaoyang.Stations;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FriendlyChaoyang.Api.Ports;

/// <param name="PortId">The operator's own id for the port, unique at the station.</param>
/// <param name="Connector">For a charging port, its plug (e.g. "gb-t", "usb-c").</param>
/// <param name="Battery">For a swap slot, the battery type it takes (e.g. "48v-20ah").</param>
/// <param name="At">When the operator observed this status (its clock; at most a minute ahead of ours).</param>
public sealed record PortReportRequest(
    [property: Required(ErrorMessage = PortsApi.PortIdRule), RegularExpression("^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$", ErrorMessage = PortsApi.PortIdRule)]
    string? PortId,
    [property: Required(ErrorMessage = "Required: charging or swap."), WireEnum<PortKind>] string? Kind,
    [property: StringLength(32, ErrorMessage = "At most {1} characters."), PlainText] string? Connector,
    [property: StringLength(32, ErrorMessage = "At most {1} characters."), PlainText] string? Battery,
    [property: Required(ErrorMessage = "Required: the port's status."), WireEnum<PortStatus>] string? Status,
    [property: Required(ErrorMessage = "Required: when the status was observed (ISO 8601).")] DateTimeOffset? At);

/// <param name="Ports">Up to 2000 port reports, each port at most once.</param>
public sealed record PortFeedRequest(
    [property: Required(ErrorMessage = "Required: the list of port reports."),
        Length(1, PortLimits.MaxPortsPerRequest, ErrorMessage = "From {1} to {2} port reports.")]
    IReadOnlyList<PortReportRequest?>? Ports) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (Ports?.Count ?? 0); i++)
        {
            var port = Ports![i];
            if (port is null)
            {
                yield return new ValidationResult("Required: a port report, not null.", [$"{nameof(Ports)}[{i}]"]);
            }
            else if (port.PortId is { } id && !seen.Add(id))
            {
                yield return new ValidationResult("The same port twice in one request.", [$"{nameof(Ports)}[{i}].{nameof(PortReportRequest.PortId)}"]);
            }
            if (port?.Kind is { } kind && WireEnums.TryParse<PortKind>(kind, out var k)
                && port.Status is { } status && WireEnums.TryParse<PortStatus>(status, out var s) && !PortsApi.Fits(k, s))
            {
                yield return new ValidationResult(k == PortKind.Charging
                    ? "A charging port is available, occupied, reserved, out_of_order or unknown."
                    : "A swap slot is charged, empty, occupied (its battery is charging), reserved, out_of_order or unknown.",
                    [$"{nameof(Ports)}[{i}].{nameof(PortReportRequest.Status)}"]);
            }
        }
    }

    public IReadOnlyList<PortReport> ToReports() => [.. Ports!.Select(p => p!).Select(p => new PortReport(
        p.PortId!, WireEnums.Parse<PortKind>(p.Kind!), p.Connector?.Trim(), p.Battery?.Trim(), WireEnums.Parse<PortStatus>(p.Status!), p.At!.Value.ToUniversalTime()))];
}

public sealed record PortFeedResponse(int Accepted, int Ignored);

public sealed record ReservationRequest([property: Required(ErrorMessage = "Required: swap or charging."), WireEnum<PortKind>] string? Kind);

public sealed record ReservationResponse(string Id, string PortId, PortKind Kind, DateTimeOffset ExpiresAt);

/// <param name="Since">Only reservations that changed after this time (ISO 8601); all kept (7 days) when absent.</param>
public sealed record PartnerReservationsQuery(DateTimeOffset? Since);

public static class PortsApi
{
    public const string PortIdRule = "Required: 1-64 letters, digits, '-', '_', '.' or ':', starting with a letter or digit.";

    public static IEndpointRouteBuilder MapPortsApi(this IEndpointRouteBuilder app)
    {
        var partners = app.MapGroup("/api/v1/partners").WithTags("Port feeds").RequireAuthorization(Policies.Partner);
        partners.MapPut("/stations/{id}/ports", SnapshotAsync)
            .WithName("putStationPorts")
            .WithSummary("Report every port of yours at the station (snapshot).")
            .WithDescription("For partner platforms, with their api key in X-Api-Key. Registers the listed ports (kind charging or swap, " +
                "connector or battery type) with their status and the time you observed it, and drops your ports at the station that the " +
                "snapshot no longer lists. Per port, a report not newer than the one stored is ignored. A port registered by another " +
                "partner is 403; any refusal changes nothing. Answers how many reports were accepted and ignored.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        partners.MapPatch("/stations/{id}/ports", DeltaAsync)
            .WithName("patchStationPorts")
            .WithSummary("Report some of your ports at the station (deltas).")
            .WithDescription("As the snapshot, for ports a snapshot registered (an unknown port id or a changed kind is 400); ports not " +
                "listed stay as they are.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        partners.MapGet("/reservations", ListReservationsAsync)
            .WithName("listPartnerReservations")
            .WithSummary("Riders' reservations on your ports.")
            .WithDescription("Each reservation's latest state (held, released, expired, used: the rider checked in to charge, cancelled: " +
                "your snapshot dropped the port), oldest change first, at most 1000; pass the last updatedAt as since to page on. No rider identity.");

        var reservations = app.MapGroup("/api/v1/stations/{id}/port-reservations").WithTags("Port feeds").RequireAuthorization(Policies.Rider);
        reservations.MapPost("/", ReserveAsync)
            .WithName("reservePort")
            .WithSummary("Hold a charged battery (swap) or a charging port for a short time.")
            .WithDescription("{\"kind\":\"swap\"|\"charging\"}. Holds one free port (10 minutes by default), which nobody else is offered " +
                "until it is released or expires. A rider holds one reservation at a time: a second is 409. None free: 409 whose " +
                "'alternatives' lists up to 3 nearest stations with that kind free.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        reservations.MapDelete("/{reservationId}", ReleaseAsync)
            .WithName("releasePortReservation")
            .WithSummary("Release your port reservation.")
            .WithDescription("Frees the port at once. 404 if you hold no active reservation with that id at the station.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static Task<Results<Ok<PortFeedResponse>, ValidationProblem, ProblemHttpResult>> SnapshotAsync(
        string id, PortFeedRequest request, ClaimsPrincipal user, IClusterClient cluster) =>
        FeedAsync(id, PortFeedMode.Snapshot, request, user, cluster);

    public static Task<Results<Ok<PortFeedResponse>, ValidationProblem, ProblemHttpResult>> DeltaAsync(
        string id, PortFeedRequest request, ClaimsPrincipal user, IClusterClient cluster) =>
        FeedAsync(id, PortFeedMode.Delta, request, user, cluster);

    public static async Task<Ok<IReadOnlyList<PartnerReservation>>> ListReservationsAsync(
        [AsParameters] PartnerReservationsQuery query, ClaimsPrincipal user, IClusterClient cluster)
    {
        var found = await cluster.GetGrain<IPartnerReservationsGrain>(Partner(user))
            .ListAsync(query.Since ?? DateTimeOffset.MinValue, PortLimits.MaxPartnerReservationsPerPage);
        return TypedResults.Ok(found);
    }

    public static async Task<Results<Created<ReservationResponse>, ValidationProblem, ProblemHttpResult>> ReserveAsync(
        string id, ReservationRequest request, ClaimsPrincipal user, IClusterClient cluster)
    {
        var kind = WireEnums.Parse<PortKind>(request.Kind!);
        var result = await cluster.GetGrain<IRiderReservationsGrain>(user.RiderId()).ReserveAsync(id, kind);
        return result.Status switch
        {
            ReservationStatus.Reserved when result.Reservation is { } r =>
                TypedResults.Created($"/api/v1/stations/{r.StationId}/port-reservations/{r.Id}", new ReservationResponse(r.Id, r.PortId, r.Kind, r.ExpiresAt)),
            ReservationStatus.UnknownStation => StationProblems.NotFound(id),
            ReservationStatus.AlreadyHolding => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
                title: "You already hold a reservation.",
                detail: $"Reservation {result.Reservation?.Id} at station {result.Reservation?.StationId} holds until {result.Reservation?.ExpiresAt:O}; release it first.",
                extensions: new Dictionary<string, object?> { ["reservationId"] = result.Reservation?.Id }),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
                title: kind == PortKind.Swap ? "No charged battery free." : "No free charging port.",
                detail: $"Station {id} has none free; the nearest stations with one are listed in 'alternatives'.",
                extensions: new Dictionary<string, object?> { ["alternatives"] = StationsApi.Rounded(result.Alternatives) }),
        };
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> ReleaseAsync(string id, string reservationId, ClaimsPrincipal user, IClusterClient cluster)
    {
        var released = await cluster.GetGrain<IRiderReservationsGrain>(user.RiderId()).ReleaseAsync(id, reservationId);
        return released ? TypedResults.NoContent() : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound,
            title: "No such reservation.", detail: $"You hold no active reservation '{reservationId}' at station {id}.");
    }

    /// <summary>Which statuses each kind of port reports.</summary>
    public static bool Fits(PortKind kind, PortStatus status) => status switch
    {
        PortStatus.Available => kind == PortKind.Charging,
        PortStatus.Charged or PortStatus.Empty => kind == PortKind.Swap,
        _ => true,
    };

    private static async Task<Results<Ok<PortFeedResponse>, ValidationProblem, ProblemHttpResult>> FeedAsync(
        string id, PortFeedMode mode, PortFeedRequest request, ClaimsPrincipal user, IClusterClient cluster)
    {
        var result = await cluster.GetGrain<IStationPortsGrain>(id).ReportAsync(Partner(user), mode, request.ToReports());
        var field = $"ports[{result.Index}]";
        return result.Status switch
        {
            PortFeedStatus.Applied => TypedResults.Ok(new PortFeedResponse(result.Accepted, result.Ignored)),
            PortFeedStatus.UnknownStation => StationProblems.NotFound(id),
            PortFeedStatus.NotYourPort => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden,
                title: "Not your port.", detail: $"Port '{request.Ports![result.Index]!.PortId}' ({field}) at station {id} is registered by another partner; nothing was changed."),
            PortFeedStatus.UnknownPort => Invalid($"{field}.portId", "No snapshot registered this port here: PUT the station's ports first."),
            PortFeedStatus.KindChanged => Invalid($"{field}.kind", "The port was registered with another kind; a snapshot (PUT) may change it."),
            PortFeedStatus.AtInFuture => Invalid($"{field}.at", "Lies too far in the future; check the clock of the reporting system."),
            _ => throw new InvalidOperationException($"Unexpected port feed status {result.Status}."),
        };
    }

    private static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>A partner is its platform: every key an admin issues for it (a rotated key too) reports the same ports.</summary>
    private static string Partner(ClaimsPrincipal user) =>
        user.FindFirstValue(Claims.Platform) ?? throw new InvalidOperationException("Authorised partner without a platform.");
}
