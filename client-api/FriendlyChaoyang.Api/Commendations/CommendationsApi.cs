using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using FriendlyChaoyang.Api.Auth;
using FriendlyChaoyang.Api.Idempotency;
using FriendlyChaoyang.Api.Security;
using FriendlyChaoyang.Api.Validation;
using FriendlyChaoyang.Commendations;
using FriendlyChaoyang.Growth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FriendlyChaoyang.Api.Commendations;

/// <param name="Evidence">Optional: what backs it (a reference, a description of the letter or banner); not shown publicly.</param>
public sealed record NewCommendationRequest(
    [property: Required(ErrorMessage = "One of: good_deed, banner, thank_you_letter, letter_home."), WireEnum<CommendationKind>] string? Kind,
    [property: Required(ErrorMessage = "Required, at most 500 characters: what the rider did (shown on the public feed)."),
        StringLength(CommendationLimits.MaxTextLength, ErrorMessage = "Required, at most {1} characters."), PlainText(Multiline = true)]
    string? Text,
    [property: StringLength(CommendationLimits.MaxEvidenceLength, ErrorMessage = "At most {1} characters."), PlainText(Multiline = true)]
    string? Evidence);

/// <summary>The query of the public good-news feed.</summary>
public sealed record CommendationFeedRequest(
    [property: Required(ErrorMessage = "Required: a subdistrict id from GET /api/v1/subdistricts.")] string? Subdistrict,
    [property: Range(1, PageRequest.MaxPage, ErrorMessage = "From {1} to {2}.")] int? Page,
    [property: Range(1, PageRequest.MaxPageSize, ErrorMessage = "From {1} to {2}.")] int? PageSize) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Subdistrict is not null && !RouteIds.IsValid(Subdistrict))
        {
            yield return new ValidationResult("A subdistrict id from GET /api/v1/subdistricts.", [nameof(Subdistrict)]);
        }
    }
}

public static class CommendationsApi
{
    /// <summary>"/riders/me/..." names the caller; as the rider of a commendation it would be a rider called "me".</summary>
    private const string Me = "me";

    public static IEndpointRouteBuilder MapCommendationsApi(this IEndpointRouteBuilder app)
    {
        var rider = app.MapGroup("/api/v1/riders/{riderId}/commendations").WithTags("Commendations").RequireAuthorization(Policies.Operator);
        rider.MapPost("/", CreateAsync)
            .WithName("commendRider")
            .WithSummary("Commend a rider: 喜报 and 顺手公益 (good_deed), 锦旗 (banner), 感谢信 (thank_you_letter), letter_home.")
            .WithDescription("{kind, text (at most 500 characters, shown on the public feed), evidence? (at most 500, not public)}. The " +
                "kind's points (configuration Commendations:Points:*) are credited once, under the ledger id commendation:{id}. The " +
                "operator's subdistrict is recorded: the commendation appears on its good-news feed and only its operators may revoke it. " +
                "The rider is notified. An optional Idempotency-Key header (scoped to the operator) makes a repeat with the same body " +
                "return the first commendation; the same key with another body is 422.")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        rider.MapDelete("/{id}", RevokeAsync)
            .WithName("revokeCommendation")
            .WithSummary("Revoke a commendation and reverse its points once.")
            .WithDescription("A compensating ledger entry (commendation:{id}:revoked) takes the points back, once however often it is " +
                "repeated; points the rider has already spent stay spent (the balance never goes negative). Operators of the " +
                "commending subdistrict only (others get 403). Answers the commendation with revokedAt.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGet("/api/v1/riders/me/commendations", ListOwnAsync).WithTags("Commendations").RequireAuthorization(Policies.Rider)
            .WithName("getMyCommendations")
            .WithSummary("The rider's own commendations, newest first.")
            .WithDescription($"Revoked ones included, with revokedAt. page (default 1) and pageSize (1-{PageRequest.MaxPageSize}, default " +
                $"{PageRequest.DefaultPageSize}).");
        app.MapGet("/api/v1/commendations", FeedAsync).WithTags("Commendations")
            .WithName("getGoodNewsFeed")
            .WithSummary("A subdistrict's public good-news feed (喜报), newest first.")
            .WithDescription("subdistrict (required), page and pageSize. Standing commendations only; riders appear by a masked name " +
                "(the first character of their display name and **, e.g. 张**), never by id; evidence is not shown. Anonymous.");
        return app;
    }

    public static async Task<Results<Created<RiderCommendation>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        string riderId,
        NewCommendationRequest request,
        ClaimsPrincipal user,
        IClusterClient cluster,
        IdempotentIds ids,
        [FromHeader(Name = IdempotencyKeys.Header), IdempotencyKey] string? idempotencyKey)
    {
        if (riderId == Me)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["riderId"] = ["Name the rider by id."] });
        }
        var operatorId = user.RiderId();
        var text = request.Text!.Trim();
        var evidence = request.Evidence?.Trim();
        var commendationId = "cmd-" + ids.IdFor("commendation", operatorId, idempotencyKey, 16).ToLowerInvariant();
        var fingerprint = RequestFingerprint.Of(riderId, request.Kind, text, evidence);
        var result = await cluster.GetGrain<ICommendationGrain>(commendationId).CreateAsync(new NewCommendation(
            riderId, WireEnums.Parse<CommendationKind>(request.Kind!), text, evidence, operatorId, user.Subdistrict()!, fingerprint));
        return result.Outcome == CommendationOutcome.Answered
            ? TypedResults.Created($"/api/v1/riders/{riderId}/commendations/{commendationId}", result.Commendation)
            : IdempotencyKeys.ReusedWithAnotherRequest("commended a rider with another body");
    }

    public static async Task<Results<Ok<RiderCommendation>, ProblemHttpResult>> RevokeAsync(
        string riderId, string id, ClaimsPrincipal user, IClusterClient cluster)
    {
        var commendation = cluster.GetGrain<ICommendationGrain>(id);
        if (await commendation.GetAsync() is not { } known || known.RiderId != riderId)
        {
            return NotFound(riderId, id);
        }
        var result = await commendation.RevokeAsync(new CommendationOperator(user.RiderId(), user.Subdistrict()!));
        return result.Outcome switch
        {
            CommendationOutcome.Answered => TypedResults.Ok(result.Commendation),
            CommendationOutcome.WrongSubdistrict => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden,
                title: "Another subdistrict's commendation.", detail: $"Commendation {id} was recorded by another subdistrict; its operators may revoke it."),
            _ => NotFound(riderId, id),
        };
    }

    public static async Task<Ok<IReadOnlyList<RiderCommendation>>> ListOwnAsync([AsParameters] PageRequest paging, ClaimsPrincipal user, IClusterClient cluster) =>
        TypedResults.Ok(await cluster.GetGrain<IGrowthGrain>(user.RiderId()).ListCommendationsAsync(paging.PageOrFirst, paging.PageSizeOrDefault));

    public static async Task<Results<Ok<IReadOnlyList<PublicCommendation>>, ValidationProblem>> FeedAsync(
        [AsParameters] CommendationFeedRequest request, IClusterClient cluster)
    {
        var feed = await cluster.GetGrain<ICommendationFeedGrain>(request.Subdistrict!)
            .ListAsync(request.Page ?? 1, request.PageSize ?? PageRequest.DefaultPageSize);
        return feed is null
            ? TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["subdistrict"] = [$"No subdistrict '{request.Subdistrict}' (see GET /api/v1/subdistricts)."],
            })
            : TypedResults.Ok(feed);
    }

    private static ProblemHttpResult NotFound(string riderId, string id) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound,
        title: "No such commendation.", detail: $"Rider {riderId} has no commendation '{id}'.");
}
