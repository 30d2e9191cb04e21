using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using FriendlyChaoyang.Api.Auth;
using FriendlyChaoyang.Api.Idempotency;
using FriendlyChaoyang.Api.Security;
using FriendlyChaoyang.Api.Validation;
using FriendlyChaoyang.Wishes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FriendlyChaoyang.Api.Wishes;

/// <param name="SubdistrictId">Whose staff should take it up (see GET /api/v1/subdistricts).</param>
public sealed record NewWishRequest(
    [property: Required(ErrorMessage = "Required, at most 200 characters."),
        StringLength(WishLimits.MaxTextLength, ErrorMessage = "Required, at most {1} characters."), PlainText(Multiline = true)]
    string? Text,
    [property: Required(ErrorMessage = "One of: daily_goods, learning, family, health, legal, other."), WireEnum<WishKind>] string? Kind,
    [property: Required(ErrorMessage = "Required: a subdistrict id from GET /api/v1/subdistricts.")] string? SubdistrictId) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SubdistrictId is not null && !RouteIds.IsValid(SubdistrictId))
        {
            yield return new ValidationResult("A subdistrict id from GET /api/v1/subdistricts.", [nameof(SubdistrictId)]);
        }
    }
}

/// <summary>The query of GET /api/v1/wishes.</summary>
public sealed record WishListRequest(
    [property: WireEnum<WishStatus>] string? Status,
    [property: Range(1, PageRequest.MaxPage, ErrorMessage = "From {1} to {2}.")] int? Page,
    [property: Range(1, PageRequest.MaxPageSize, ErrorMessage = "From {1} to {2}.")] int? PageSize);

public sealed record RejectWishRequest(
    [property: Required(ErrorMessage = "Required: why the wish cannot be taken up (the rider reads it)."),
        StringLength(WishLimits.MaxNoteLength, ErrorMessage = "Required, at most {1} characters."), PlainText(Multiline = true)]
    string? Note);

public static class WishesApi
{
    public static IEndpointRouteBuilder MapWishesApi(this IEndpointRouteBuilder app)
    {
        var wishes = app.MapGroup("/api/v1/wishes").WithTags("Wishes");
        wishes.MapPost("/", PostAsync).RequireAuthorization(Policies.Rider)
            .WithName("postWish")
            .WithSummary("Post a micro-wish (微心愿).")
            .WithDescription("text (at most 200 characters), kind (daily_goods, learning, family, health, legal, other) and subdistrictId " +
                "(whose staff should take it up) -> status open. The rider is notified of every step. An optional Idempotency-Key " +
                "header makes a repeat with the same body return the first wish; the same key with another body is 422.")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        wishes.MapGet("/", ListAsync).RequireAuthorization(new AuthorizeAttribute { Roles = $"{Roles.Rider},{Roles.Operator}" })
            .WithName("listWishes")
            .WithSummary("Wishes, oldest first: an operator's subdistrict's, or the calling rider's own.")
            .WithDescription("status (open, claimed, fulfilled, closed, rejected) filters; page (default 1) and pageSize " +
                $"(1-{PageRequest.MaxPageSize}, default {PageRequest.DefaultPageSize}). An operator sees the wishes posted to their " +
                "subdistrict; a rider sees only the wishes they posted.");
        wishes.MapGet("/{id}", GetAsync).RequireAuthorization(new AuthorizeAttribute { Roles = $"{Roles.Rider},{Roles.Operator}" })
            .WithName("getWish")
            .WithSummary("One wish.")
            .WithDescription("For the rider who posted it (other riders get 404) and the operators of its subdistrict (others get 403).")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        wishes.MapPost("/{id}/claim", ClaimAsync).RequireAuthorization(Policies.Operator)
            .WithName("claimWish")
            .WithSummary("Take a wish up: open -> claimed.")
            .WithDescription("Operators of the wish's subdistrict (others get 403). The claimer repeating it gets the same 200; a wish " +
                "claimed by another operator, or past claiming, is 409.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        wishes.MapPost("/{id}/fulfil", FulfilAsync).RequireAuthorization(Policies.Operator)
            .WithName("fulfilWish")
            .WithSummary("Report a claimed wish fulfilled: claimed -> fulfilled.")
            .WithDescription("The operator who claimed it only (others get 403); a repeat gets the same 200; an unclaimed or closed wish is 409.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        wishes.MapPost("/{id}/confirm", ConfirmAsync).RequireAuthorization(Policies.Rider)
            .WithName("confirmWish")
            .WithSummary("Confirm a fulfilled wish: fulfilled -> closed.")
            .WithDescription("The rider who posted it only (others get 404); a repeat gets the same 200; a wish not yet fulfilled is 409.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        wishes.MapPost("/{id}/reject", RejectAsync).RequireAuthorization(Policies.Operator)
            .WithName("rejectWish")
            .WithSummary("Decline an open or claimed wish, with a note for the rider.")
            .WithDescription("{\"note\"} (at most 500 characters). Operators of the wish's subdistrict (others get 403); a repeat gets the " +
                "same 200; a fulfilled or closed wish is 409.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public static async Task<Results<Created<WishView>, ValidationProblem, ProblemHttpResult>> PostAsync(
        NewWishRequest request,
        ClaimsPrincipal user,
        IClusterClient cluster,
        IdempotentIds ids,
        [FromHeader(Name = IdempotencyKeys.Header), IdempotencyKey] string? idempotencyKey)
    {
        var riderId = user.RiderId();
        var text = request.Text!.Trim();
        var wishId = "wish-" + ids.IdFor("wish", riderId, idempotencyKey, 16).ToLowerInvariant();
        var fingerprint = RequestFingerprint.Of(text, request.Kind, request.SubdistrictId);
        var result = await cluster.GetGrain<IWishGrain>(wishId)
            .PostAsync(new NewWish(riderId, text, WireEnums.Parse<WishKind>(request.Kind!), request.SubdistrictId!, fingerprint));
        return result.Outcome switch
        {
            WishOutcome.Answered => TypedResults.Created($"/api/v1/wishes/{wishId}", result.Wish),
            // The subdistricts live in the cluster, so an unknown one is found by the grain, not by the validator.
            WishOutcome.UnknownSubdistrict => TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["subdistrictId"] = [$"No subdistrict '{request.SubdistrictId}' (see GET /api/v1/subdistricts)."],
            }),
            _ => IdempotencyKeys.ReusedWithAnotherRequest("posted another wish"),
        };
    }

    public static async Task<Ok<IReadOnlyList<WishView>>> ListAsync(
        [AsParameters] WishListRequest request, ClaimsPrincipal user, IClusterClient cluster)
    {
        // An operator token always names a subdistrict (dev tokens and the identity provider require it for the role).
        var list = user.IsInRole(Roles.Operator) ? WishLists.OfSubdistrict(user.Subdistrict() ?? "") : WishLists.OfRider(user.RiderId());
        var status = request.Status is null ? (WishStatus?)null : WireEnums.Parse<WishStatus>(request.Status);
        return TypedResults.Ok(await cluster.GetGrain<IWishListGrain>(list)
            .ListAsync(status, request.Page ?? 1, request.PageSize ?? PageRequest.DefaultPageSize));
    }

    public static async Task<Results<Ok<WishView>, ProblemHttpResult>> GetAsync(string id, ClaimsPrincipal user, IClusterClient cluster)
    {
        var wish = await cluster.GetGrain<IWishGrain>(id).GetAsync();
        if (wish is null || (!user.IsInRole(Roles.Operator) && wish.RiderId != user.RiderId()))
        {
            return WishNotFound(id);
        }
        return !user.IsInRole(Roles.Operator) || wish.SubdistrictId == user.Subdistrict() ? TypedResults.Ok(wish) : NotYourSubdistrict(id);
    }

    public static Task<Results<Ok<WishView>, ProblemHttpResult>> ClaimAsync(string id, ClaimsPrincipal user, IClusterClient cluster) =>
        AnswerAsync(id, cluster.GetGrain<IWishGrain>(id).ClaimAsync(Operator(user)));

    public static Task<Results<Ok<WishView>, ProblemHttpResult>> FulfilAsync(string id, ClaimsPrincipal user, IClusterClient cluster) =>
        AnswerAsync(id, cluster.GetGrain<IWishGrain>(id).FulfilAsync(Operator(user)));

    public static Task<Results<Ok<WishView>, ProblemHttpResult>> ConfirmAsync(string id, ClaimsPrincipal user, IClusterClient cluster) =>
        AnswerAsync(id, cluster.GetGrain<IWishGrain>(id).ConfirmAsync(user.RiderId()));

    public static Task<Results<Ok<WishView>, ProblemHttpResult>> RejectAsync(string id, RejectWishRequest request, ClaimsPrincipal user, IClusterClient cluster) =>
        AnswerAsync(id, cluster.GetGrain<IWishGrain>(id).RejectAsync(Operator(user), request.Note!.Trim()));

    private static WishOperator Operator(ClaimsPrincipal user) => new(user.RiderId(), user.Subdistrict()!);

    private static async Task<Results<Ok<WishView>, ProblemHttpResult>> AnswerAsync(string id, Task<WishResult> step)
    {
        var result = await step;
        return result.Outcome switch
        {
            WishOutcome.Answered => TypedResults.Ok(result.Wish),
            WishOutcome.WrongSubdistrict => NotYourSubdistrict(id),
            // A rider's step on another rider's wish: that wish is not theirs to know about.
            WishOutcome.NotYours when result.Wish is null => WishNotFound(id),
            WishOutcome.NotYours => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not your claim.",
                detail: $"Wish {id} was claimed by another operator; only they report it fulfilled."),
            WishOutcome.AlreadyClaimed => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Already claimed.",
                detail: $"Another operator claimed wish {id} first."),
            WishOutcome.Illegal => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not possible now.",
                detail: $"Wish {id} is {WireEnums.Name(result.Wish!.Status)}: this step does not follow."),
            _ => WishNotFound(id),
        };
    }

    private static ProblemHttpResult NotYourSubdistrict(string id) => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden,
        title: "Another subdistrict's wish.", detail: $"Wish {id} was posted to another subdistrict; its operators take it up.");

    private static ProblemHttpResult WishNotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such wish.", detail: $"There is no wish '{id}'.");
}
