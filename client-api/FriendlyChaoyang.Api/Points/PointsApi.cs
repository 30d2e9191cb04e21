using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Text.RegularExpressions;
using FriendlyChaoyang.Api.Auth;
using FriendlyChaoyang.Api.Idempotency;
using FriendlyChaoyang.Api.Security;
using FriendlyChaoyang.Api.Validation;
using FriendlyChaoyang.Points;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FriendlyChaoyang.Api.Points;

public sealed record RedemptionRequest(
    [property: Required(ErrorMessage = "Required: a reward id from GET /api/v1/rewards.")] string? RewardId);

public sealed record RedemptionResponse(string Code, string RewardId, int Cost, RedemptionStatus Status, DateTimeOffset ExpiresAt);

public sealed record RedemptionStatusResponse(string Code, RedemptionStatus Status);

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
                "it expires (default 24 h). Not enough spendable points is 409. An optional Idempotency-Key header makes a repeat return " +
                "the first voucher.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        redemptions.MapPost("/{code}/confirm", ConfirmAsync).RequireAuthorization(Policies.Operator).RequireRateLimiting(RateLimits.VoucherConfirms)
            .WithName("confirmRedemption")
            .WithSummary("Confirm a voucher: the service was handed over.")
            .WithDescription("The held points are spent (status 'redeemed'). Repeating it answers the same; a released or expired voucher is 409.")
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
        [FromHeader(Name = IdempotencyKeys.Header), IdempotencyKey] string? idempotencyKey)
    {
        var riderId = user.RiderId();
        var code = IdempotencyKeys.IdFor("redemption", riderId, idempotencyKey, CodeLength);
        var result = await cluster.GetGrain<IRedemptionGrain>(code).CreateAsync(riderId, request.RewardId!);
        return result.Status switch
        {
            // The catalogue lives in the cluster, so an unknown reward is found by the grain, not by the validator.
            RedemptionStatus.UnknownReward => TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["rewardId"] = [$"No reward '{request.RewardId}' (see GET /api/v1/rewards)."],
            }),
            RedemptionStatus.InsufficientPoints => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
                title: "Not enough points.", detail: $"Your spendable points do not cover reward '{request.RewardId}'."),
            RedemptionStatus.NotYours => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
                title: "Voucher code taken.", detail: "Retry without the Idempotency-Key or with another one."),
            _ => TypedResults.Created($"/api/v1/redemptions/{code}", Response(result.Redemption!)),
        };
    }

    public static async Task<Results<Ok<RedemptionStatusResponse>, ProblemHttpResult>> ConfirmAsync(string code, IClusterClient cluster)
    {
        if (!CodePattern().IsMatch(code))
        {
            return VoucherNotFound(code);
        }
        var result = await cluster.GetGrain<IRedemptionGrain>(code).ConfirmAsync();
        return result.Status switch
        {
            RedemptionStatus.Redeemed => TypedResults.Ok(new RedemptionStatusResponse(code, result.Status)),
            RedemptionStatus.NotFound => VoucherNotFound(code),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Voucher not redeemable.",
                detail: $"Voucher {code} is {WireEnums.Name(result.Status)}."),
        };
    }

    public static async Task<Results<Ok<RedemptionStatusResponse>, ProblemHttpResult>> CancelAsync(string code, ClaimsPrincipal user, IClusterClient cluster)
    {
        if (!CodePattern().IsMatch(code))
        {
            return VoucherNotFound(code);
        }
        var result = await cluster.GetGrain<IRedemptionGrain>(code).CancelAsync(user.RiderId());
        return result.Status switch
        {
            RedemptionStatus.Released or RedemptionStatus.Expired => TypedResults.Ok(new RedemptionStatusResponse(code, result.Status)),
            RedemptionStatus.NotFound or RedemptionStatus.NotYours => VoucherNotFound(code),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Voucher already redeemed.",
                detail: $"Voucher {code} was confirmed; its points are spent."),
        };
    }

    private static RedemptionResponse Response(Redemption r) => new(r.Code, r.RewardId, r.Cost, r.Status, r.ExpiresAt);

    private static ProblemHttpResult VoucherNotFound(string code) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such voucher.", detail: $"There is no voucher '{code}'.");

    [GeneratedRegex("^[0-9A-Z]{4,32}$")]
    private static partial Regex CodePattern();
}
