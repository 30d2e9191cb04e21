using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Text.RegularExpressions;
using FriendlyChaoyang.Api.Auth;
using FriendlyChaoyang.Api.Idempotency;
using FriendlyChaoyang.Api.Security;
using FriendlyChaoyang.Api.Validation;
using FriendlyChaoyang.Points;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FriendlyChaoyang.Api.Points;

/// <param name="SubdistrictId">
/// Where the rider will be served (a partner service point there): only that subdistrict's operators may confirm the
/// voucher. Without it, the first operator who confirms binds it to theirs. Checked against GET /api/v1/subdistricts.
/// </param>
public sealed record RedemptionRequest(
    [property: Required(ErrorMessage = "Required: a reward id from GET /api/v1/rewards.")] string? RewardId,
    string? SubdistrictId);

/// <param name="SubdistrictId">Where the voucher is served: the rider's choice or the first confirming operator's; null until then.</param>
/// <param name="Confirmations">Each confirmation that changed the voucher (who, where, when, the status it left), oldest first.</param>
public sealed record RedemptionResponse(
    string Code,
    string RewardId,
    int Cost,
    RedemptionStatus Status,
    DateTimeOffset ExpiresAt,
    string? SubdistrictId,
    IReadOnlyList<RedemptionConfirmation> Confirmations)
{
    public static RedemptionResponse From(RedemptionResult result)
    {
        var r = result.Redemption ?? throw new ArgumentException($"A {result.Outcome} result carries no voucher.", nameof(result));
        return new(r.Code, r.RewardId, r.Cost, r.Status, r.ExpiresAt, r.SubdistrictId, result.Confirmations);
    }
}

/// <summary>The query of GET /api/v1/riders/me/points.</summary>
public sealed record LedgerPageRequest(
    [property: Range(1, PointsApi.MaxPage, ErrorMessage = "From {1} to {2}.")] int? Page);

public static partial class PointsApi
{
    public const int PageSize = 20;

    /// <summary>Far beyond any real ledger, and low enough that page times page size cannot overflow.</summary>
    public const int MaxPage = 100_000;

    public const int CodeLength = 12;

    public static IEndpointRouteBuilder MapPointsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/riders/me/points", GetLedgerAsync).WithTags("Points").RequireAuthorization(Policies.Rider)
            .WithName("getPoints")
            .WithSummary("The rider's points and ledger.")
            .WithDescription($"balance (posted points), held (reserved by open redemptions) and ledger entries, newest first, {PageSize} " +
                $"per page (page 1 to {MaxPage}, default 1).");
        var redemptions = app.MapGroup("/api/v1/redemptions").WithTags("Points");
        redemptions.MapPost("/", RedeemAsync).RequireAuthorization(Policies.Rider)
            .WithName("redeemReward")
            .WithSummary("Hold a reward's cost and get a voucher code.")
            .WithDescription("The reward's cost is held (status 'held') until an operator confirms the voucher, the rider cancels it, or " +
                "it expires (default 24 h). With subdistrictId (where the rider will be served) only that subdistrict's operators may " +
                "confirm it; without it, the first confirming operator's subdistrict is recorded. Not enough spendable points is 409. An " +
                "optional Idempotency-Key header makes a repeat with the same body return the first voucher; the same key with another " +
                "rewardId or subdistrictId is 422 and changes nothing.")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        redemptions.MapGet("/{code}", GetAsync).RequireAuthorization(new AuthorizeAttribute { Roles = $"{Roles.Rider},{Roles.Operator}" })
            .RequireRateLimiting(RateLimits.VoucherConfirms)
            .WithName("getRedemption")
            .WithSummary("One voucher with its confirmation audit.")
            .WithDescription("For the rider who owns it (other riders get 404) and for the operators who may confirm it: those of its " +
                "subdistrict, or any operator while it has none (another subdistrict's operator gets 403). Counted against the " +
                "voucher-confirmation limit, as a lookup tells an operator whether a code exists.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        redemptions.MapPost("/{code}/confirm", ConfirmAsync).RequireAuthorization(Policies.Operator).RequireRateLimiting(RateLimits.VoucherConfirms)
            .WithName("confirmRedemption")
            .WithSummary("Confirm a voucher: the service was handed over.")
            .WithDescription("The held points are spent (status 'redeemed') and the confirmation is audited (operator, subdistrict, time). " +
                "Only operators of the voucher's subdistrict may confirm it (others get 403 and change nothing); a voucher without one " +
                "is bound to the confirming operator's. Repeating it answers the same; a released or expired voucher is 409.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        redemptions.MapDelete("/{code}", CancelAsync).RequireAuthorization(Policies.Rider)
            .WithName("cancelRedemption")
            .WithSummary("Withdraw a voucher.")
            .WithDescription("The rider's own voucher only: the held points are released (status 'released', or 'expired' if it already " +
                "had). A redeemed voucher is 409.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public static async Task<Ok<LedgerPage>> GetLedgerAsync([AsParameters] LedgerPageRequest request, ClaimsPrincipal user, IClusterClient cluster) =>
        TypedResults.Ok(await cluster.GetGrain<IPointsLedgerGrain>(user.RiderId()).GetPageAsync(request.Page ?? 1, PageSize));

    public static async Task<Results<Created<RedemptionResponse>, ValidationProblem, ProblemHttpResult>> RedeemAsync(
        RedemptionRequest request,
        ClaimsPrincipal user,
        IClusterClient cluster,
        IdempotentIds ids,
        [FromHeader(Name = IdempotencyKeys.Header), IdempotencyKey] string? idempotencyKey)
    {
        var riderId = user.RiderId();
        var code = ids.IdFor("redemption", riderId, idempotencyKey, CodeLength);
        var fingerprint = RequestFingerprint.Of(request.RewardId, request.SubdistrictId);
        var result = await cluster.GetGrain<IRedemptionGrain>(code)
            .CreateAsync(new NewRedemption(riderId, request.RewardId!, request.SubdistrictId, fingerprint));
        return result.Outcome switch
        {
            RedemptionOutcome.Answered => TypedResults.Created($"/api/v1/redemptions/{code}", RedemptionResponse.From(result)),
            // The catalogue lives in the cluster, so unknown ids are found by the grain, not by the validator.
            RedemptionOutcome.UnknownReward => TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["rewardId"] = [$"No reward '{request.RewardId}' (see GET /api/v1/rewards)."],
            }),
            RedemptionOutcome.UnknownSubdistrict => TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["subdistrictId"] = [$"No subdistrict '{request.SubdistrictId}' (see GET /api/v1/subdistricts)."],
            }),
            RedemptionOutcome.InsufficientPoints => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
                title: "Not enough points.", detail: $"Your spendable points do not cover reward '{request.RewardId}'."),
            RedemptionOutcome.NotYours => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
                title: "Voucher code taken.", detail: "Retry without the Idempotency-Key or with another one."),
            RedemptionOutcome.DifferentRequest => IdempotencyKeys.ReusedWithAnotherRequest("created a voucher for another rewardId or subdistrictId"),
            _ => throw Unexpected(result),
        };
    }

    public static async Task<Results<Ok<RedemptionResponse>, ProblemHttpResult>> GetAsync(string code, ClaimsPrincipal user, IClusterClient cluster)
    {
        if (!CodePattern().IsMatch(code))
        {
            return VoucherNotFound(code);
        }
        var voucher = cluster.GetGrain<IRedemptionGrain>(code);
        var result = user.IsInRole(Roles.Operator) && AsOperator(user) is { } viewer
            ? await voucher.GetForOperatorAsync(viewer)
            : await voucher.GetForRiderAsync(user.RiderId());
        return result.Outcome switch
        {
            RedemptionOutcome.Answered => TypedResults.Ok(RedemptionResponse.From(result)),
            // Another rider's voucher is not theirs to know about.
            RedemptionOutcome.NotFound or RedemptionOutcome.NotYours => VoucherNotFound(code),
            RedemptionOutcome.WrongSubdistrict => OtherSubdistrict(code),
            _ => throw Unexpected(result),
        };
    }

    public static async Task<Results<Ok<RedemptionResponse>, ProblemHttpResult>> ConfirmAsync(string code, ClaimsPrincipal user, IClusterClient cluster)
    {
        if (!CodePattern().IsMatch(code))
        {
            return VoucherNotFound(code);
        }
        var result = await cluster.GetGrain<IRedemptionGrain>(code).ConfirmAsync(AsOperator(user)!);
        return result.Outcome switch
        {
            RedemptionOutcome.Answered when result.Redemption!.Status == RedemptionStatus.Redeemed => TypedResults.Ok(RedemptionResponse.From(result)),
            RedemptionOutcome.Answered => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Voucher not redeemable.",
                detail: $"Voucher {code} is {WireEnums.Name(result.Redemption.Status)}."),
            RedemptionOutcome.NotFound => VoucherNotFound(code),
            RedemptionOutcome.WrongSubdistrict => OtherSubdistrict(code),
            _ => throw Unexpected(result),
        };
    }

    public static async Task<Results<Ok<RedemptionResponse>, ProblemHttpResult>> CancelAsync(string code, ClaimsPrincipal user, IClusterClient cluster)
    {
        if (!CodePattern().IsMatch(code))
        {
            return VoucherNotFound(code);
        }
        var result = await cluster.GetGrain<IRedemptionGrain>(code).CancelAsync(user.RiderId());
        return result.Outcome switch
        {
            RedemptionOutcome.Answered when result.Redemption!.Status == RedemptionStatus.Redeemed => TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict, title: "Voucher already redeemed.", detail: $"Voucher {code} was confirmed; its points are spent."),
            RedemptionOutcome.Answered => TypedResults.Ok(RedemptionResponse.From(result)),
            RedemptionOutcome.NotFound or RedemptionOutcome.NotYours => VoucherNotFound(code),
            _ => throw Unexpected(result),
        };
    }

    /// <summary>The operator as the grain audits them; null for a token without a subdistrict (the operator policy requires one).</summary>
    private static VoucherOperator? AsOperator(ClaimsPrincipal user) =>
        user.Subdistrict() is { } subdistrictId ? new VoucherOperator(user.RiderId(), subdistrictId) : null;

    private static InvalidOperationException Unexpected(RedemptionResult result) => new($"The redemption grain answered {result.Outcome}.");

    private static ProblemHttpResult OtherSubdistrict(string code) => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden,
        title: "Not your subdistrict.", detail: $"Voucher {code} is served at a partner service point of another subdistrict.");

    private static ProblemHttpResult VoucherNotFound(string code) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such voucher.", detail: $"There is no voucher '{code}'.");

    [GeneratedRegex("^[0-9A-Z]{4,32}$")]
    private static partial Regex CodePattern();
}
