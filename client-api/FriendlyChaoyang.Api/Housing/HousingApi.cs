using System.Globalization;
using System.Security.Claims;
using FriendlyChaoyang.Api.Auth;
using FriendlyChaoyang.Api.Idempotency;
using FriendlyChaoyang.Housing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FriendlyChaoyang.Api.Housing;

/// <summary>一张床、一间房: affordable beds. Apartments are listed by operators; riders apply, accept an offered bed and move out.</summary>
public static class HousingApi
{
    public const int IdLength = 12;

    public static IEndpointRouteBuilder MapHousingApi(this IEndpointRouteBuilder app)
    {
        var housing = app.MapGroup("/api/v1/housing").WithTags("Housing");
        housing.MapPost("/apartments", CreateAsync).RequireAuthorization(Policies.Operator)
            .WithName("createApartment")
            .WithSummary("List an apartment of the affordable-bed programme.")
            .WithDescription("{name, lat, lon, rentMonthly, beds, amenities}: rentMonthly (CNY per bed) inside the programme's band " +
                "(configuration, default 600-1200, else 400), beds 1-1000, at most 20 amenities. The apartment's subdistrict is the one its " +
                "position lies in; only that subdistrict's operators list there (others 403). An optional Idempotency-Key header (scoped " +
                "to the caller) makes a repeat with the same body return the first apartment; the same key with another body is 422.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        housing.MapGet("/apartments", FindAsync)
            .WithName("findApartments")
            .WithSummary("Apartments near a point, nearest first, with free beds and the waiting line.")
            .WithDescription($"lat and lon; radius in metres (more than 0, at most 20000, default {ApartmentSearchRequest.DefaultRadiusM}); " +
                "maxRent caps the monthly rent. beds.free counts beds neither lived in nor on offer; waiting counts riders in line. " +
                "page (from 1) and pageSize (1-100, default 20). Anonymous.");
        housing.MapGet("/apartments/{id}", GetAsync)
            .WithName("getApartment")
            .WithSummary("One apartment with its free beds and waiting line.")
            .WithDescription("Anonymous.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        housing.MapPost("/applications", ApplyAsync).RequireAuthorization(Policies.Rider)
            .WithName("applyForBed")
            .WithSummary("Apply for a bed in an apartment.")
            .WithDescription("{apartmentId} -> status offered (a free bed is held for you until offerExpiresAt, default 48 h; accept it) or " +
                "waiting with position (1 = next). A rider holds one open application and one bed at a time: a second is 409. An " +
                "unknown apartment is 400. An optional Idempotency-Key header makes a repeat answer the same application; the same key " +
                "for another apartment is 422.")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        housing.MapPost("/applications/{id}/accept", AcceptAsync).RequireAuthorization(Policies.Rider)
            .WithName("acceptBed")
            .WithSummary("Take the bed offered to you.")
            .WithDescription("-> {status: allocated, bed, tenancyId}; repeating it answers the same. Still waiting is 409, and so is an " +
                "offer that expired (the bed passed on: apply again). Not your open application: 404.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        housing.MapDelete("/applications/{id}", WithdrawAsync).RequireAuthorization(Policies.Rider)
            .WithName("withdrawApplication")
            .WithSummary("Withdraw your application.")
            .WithDescription("Leaves the line; a bed on offer to you passes to the next rider. Already allocated: 409 (move out instead). " +
                "Not your open application: 404.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        housing.MapPost("/tenancies/{id}/move-out", MoveOutAsync)
            .RequireAuthorization(new AuthorizeAttribute { Roles = $"{Roles.Rider},{Roles.Operator}" })
            .WithName("moveOut")
            .WithSummary("End a tenancy: the bed is offered to the next rider in line.")
            .WithDescription("The tenant, or an operator of the apartment's subdistrict (others 403). Repeating it answers the same.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGet("/api/v1/riders/me/housing", GetMineAsync).WithTags("Housing").RequireAuthorization(Policies.Rider)
            .WithName("getMyHousing")
            .WithSummary("Your open application and your bed.")
            .WithDescription("{application: {id, apartmentId, status, position, offerExpiresAt} | null, tenancy: {id, apartmentId, bed, since} | null}.");
        return app;
    }

    public static async Task<Results<Created<ApartmentView>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        NewApartmentRequest request,
        ClaimsPrincipal user,
        IClusterClient cluster,
        IdempotentIds ids,
        [FromHeader(Name = IdempotencyKeys.Header), IdempotencyKey] string? idempotencyKey)
    {
        var caller = user.RiderId();
        var apartmentId = "apt-" + ids.IdFor("apartment", caller, idempotencyKey, IdLength).ToLowerInvariant();
        var result = await cluster.GetGrain<IApartmentGrain>(apartmentId)
            .CreateAsync(new NewApartment(request.ToListing(), user.Subdistrict()!, caller, request.Fingerprint()));
        return result.Outcome switch
        {
            CreateApartmentOutcome.Created => TypedResults.Created($"/api/v1/housing/apartments/{apartmentId}", result.Apartment),
            CreateApartmentOutcome.DifferentRequest => IdempotencyKeys.ReusedWithAnotherRequest("listed another apartment"),
            CreateApartmentOutcome.RentOutsideBand => FieldProblem("rentMonthly",
                string.Create(CultureInfo.InvariantCulture, $"The programme's rent band is {result.Band!.Min}-{result.Band.Max} CNY a month.")),
            CreateApartmentOutcome.OutsideServiceArea => FieldProblem("lat", "The apartment must lie in Beijing."),
            CreateApartmentOutcome.NotYourSubdistrict => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not your subdistrict.",
                detail: $"This position lies in subdistrict {result.SubdistrictId}; only its operators list apartments there."),
            _ => throw Unexpected(result.Outcome),
        };
    }

    public static async Task<Ok<IReadOnlyList<NearbyApartment>>> FindAsync([AsParameters] ApartmentSearchRequest request, IClusterClient cluster) =>
        TypedResults.Ok(await cluster.GetGrain<IApartmentFinderGrain>(0).FindAsync(request.ToQuery()));

    public static async Task<Results<Ok<ApartmentView>, ProblemHttpResult>> GetAsync(string id, IClusterClient cluster) =>
        await cluster.GetGrain<IApartmentGrain>(id).GetAsync() is { } apartment ? TypedResults.Ok(apartment) : ApartmentNotFound(id);

    public static async Task<Results<Created<ApplicationView>, ValidationProblem, ProblemHttpResult>> ApplyAsync(
        ApplicationRequest request,
        ClaimsPrincipal user,
        IClusterClient cluster,
        IdempotentIds ids,
        [FromHeader(Name = IdempotencyKeys.Header), IdempotencyKey] string? idempotencyKey)
    {
        var riderId = user.RiderId();
        var applicationId = "app-" + ids.IdFor("housing-application", riderId, idempotencyKey, IdLength).ToLowerInvariant();
        var result = await cluster.GetGrain<IRiderHousingGrain>(riderId).ApplyAsync(applicationId, request.ApartmentId!);
        return result.Outcome switch
        {
            HousingOutcome.Answered => TypedResults.Created($"/api/v1/riders/me/housing", result.Application),
            HousingOutcome.NoSuchApartment => FieldProblem("apartmentId", $"There is no apartment '{request.ApartmentId}'."),
            HousingOutcome.DifferentRequest => IdempotencyKeys.ReusedWithAnotherRequest("applied for another apartment"),
            _ => Refusal(applicationId, result),
        };
    }

    public static async Task<Results<Ok<AllocationResponse>, ProblemHttpResult>> AcceptAsync(string id, ClaimsPrincipal user, IClusterClient cluster)
    {
        var result = await cluster.GetGrain<IRiderHousingGrain>(user.RiderId()).AcceptAsync(id);
        return result is { Outcome: HousingOutcome.Answered, Tenancy: { } tenancy }
            ? TypedResults.Ok(new AllocationResponse(ApplicationStatus.Allocated, tenancy.Bed, tenancy.Id))
            : Refusal(id, result);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> WithdrawAsync(string id, ClaimsPrincipal user, IClusterClient cluster)
    {
        var result = await cluster.GetGrain<IRiderHousingGrain>(user.RiderId()).WithdrawAsync(id);
        return result.Outcome == HousingOutcome.Answered ? TypedResults.NoContent() : Refusal(id, result);
    }

    public static async Task<Results<Ok<MoveOutResponse>, ProblemHttpResult>> MoveOutAsync(string id, ClaimsPrincipal user, IClusterClient cluster)
    {
        if (HousingLimits.ApartmentOfTenancy(id) is not { } apartmentId)
        {
            return TenancyNotFound(id);
        }
        var by = user.IsInRole(Roles.Rider) ? new MoveOutBy(user.RiderId(), null) : new MoveOutBy(null, user.Subdistrict());
        var result = await cluster.GetGrain<IApartmentGrain>(apartmentId).MoveOutAsync(id, by);
        return result is { Outcome: HousingOutcome.Answered, Tenancy: { } t }
            ? TypedResults.Ok(new MoveOutResponse(t.Id, t.ApartmentId, t.Bed, t.Since, t.EndedAt!.Value))
            : Refusal(id, result);
    }

    public static async Task<Ok<RiderHousingResponse>> GetMineAsync(ClaimsPrincipal user, IClusterClient cluster)
    {
        var mine = await cluster.GetGrain<IRiderHousingGrain>(user.RiderId()).GetAsync();
        return TypedResults.Ok(new RiderHousingResponse(mine.Application, TenancyResponse.Of(mine.Tenancy)));
    }

    private static ProblemHttpResult Refusal(string id, HousingResult result) => result.Outcome switch
    {
        HousingOutcome.AlreadyApplied => Conflict("Already applied.",
            $"You already have an open application ({result.Application?.Id}); withdraw it before applying for another bed."),
        HousingOutcome.AlreadyHoused => Conflict("Already housed.", $"You already have a bed (tenancy {result.Tenancy?.Id}); move out before applying again."),
        HousingOutcome.NoOffer => Conflict("No bed on offer.", $"No bed is held for application {id} yet: you are still waiting in line."),
        HousingOutcome.Closed => Conflict("Application closed.",
            $"Application {id} is over: its offer expired and the bed passed to the next rider, or it was withdrawn. Apply again."),
        HousingOutcome.AlreadyAllocated => Conflict("Already allocated.",
            $"Application {id} has its bed (tenancy {result.Tenancy?.Id}); move out instead of withdrawing."),
        HousingOutcome.NoSuchApplication => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such application.",
            detail: $"You have no open application '{id}'."),
        HousingOutcome.NoSuchTenancy => TenancyNotFound(id),
        HousingOutcome.NotYours => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not your tenancy.",
            detail: $"Only the tenant or an operator of the apartment's subdistrict ends tenancy {id}."),
        _ => throw Unexpected(result.Outcome),
    };

    private static ProblemHttpResult Conflict(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail);

    private static ProblemHttpResult TenancyNotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such tenancy.", detail: $"There is no tenancy '{id}'.");

    private static ProblemHttpResult ApartmentNotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such apartment.", detail: $"There is no apartment '{id}'.");

    private static ValidationProblem FieldProblem(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    private static InvalidOperationException Unexpected<T>(T outcome) => new($"The housing grains answered {outcome}.");
}
