using System.Security.Claims;
using System.Text.RegularExpressions;
using FriendlyChaoyang.Api.Auth;
using FriendlyChaoyang.Api.Idempotency;
using FriendlyChaoyang.Api.Security;
using FriendlyChaoyang.Points;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FriendlyChaoyang.Api.Points;

public sealed record RedemptionRequest(string? RewardId);

public sealed record RedemptionResponse(string Code, string RewardId, int Cost, string Status, DateTimeOffset ExpiresAt);

public sealed record RedemptionStatusResponse(string Code, string Status);

public static partial class PointsApi
{
    public const int PageSize = 20;
    public const int CodeLength = 12;

    public static IEndpointRouteBuilder MapPointsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/riders/me/points", GetLedgerAsync).WithTags("Points").RequireAuthorization(Policies.Rider)
            .WithSummary($"Balance (posted), held (reserved by open redemptions) and ledger entries, newest first, {PageSize} per page.");
        var redemptions = app.MapGroup("/api/v1/redemptions").WithTags("Points");
        redemptions.MapPost("/", RedeemAsync).RequireAuthorization(Policies.Rider)
            .WithSummary("Hold a reward's cost and get a voucher code. Optional Idempotency-Key header.");
        redemptions.MapPost("/{code}/confirm", ConfirmAsync).RequireAuthorization(Policies.Operator).RequireRateLimiting(RateLimits.VoucherConfirms)
            .WithSummary("The service was handed over: the held points are spent. Repeating it is harmless.");
        redemptions.MapDelete("/{code}", CancelAsync).RequireAuthorization(Policies.Rider)
            .WithSummary("The rider withdraws the voucher: the held points are released.");
        return app;
    }

    public static async Task<Results<Ok<LedgerPage>, ValidationProblem>> GetLedgerAsync(ClaimsPrincipal user, IClusterClient cluster, int? page)
    {
        if (page is < 1)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["page"] = ["From 1."] });
        }
        return TypedResults.Ok(await cluster.GetGrain<IPointsLedgerGrain>(user.RiderId()).GetPageAsync(page ?? 1, PageSize));
    }

    public static async Task<Results<Created<RedemptionResponse>, ValidationProblem, ProblemHttpResult>> RedeemAsync(
        RedemptionRequest request,
        ClaimsPrincipal user,
        IClusterClient cluster,
        [FromHeader(Name = IdempotencyKeys.Header)] string? idempotencyKey)
    {
        if (IdempotencyKeys.Problem(idempotencyKey) is { } badKey)
        {
            return badKey;
        }
        if (string.IsNullOrWhiteSpace(request.RewardId))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["rewardId"] = ["Required: a reward id from GET /api/v1/rewards."] });
        }
        var riderId = user.RiderId();
        var code = IdempotencyKeys.IdFor("redemption", riderId, idempotencyKey, CodeLength);
        var result = await cluster.GetGrain<IRedemptionGrain>(code).CreateAsync(riderId, request.RewardId);
        return result.Status switch
        {
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
            RedemptionStatus.Redeemed => TypedResults.Ok(new RedemptionStatusResponse(code, Wire(result.Status))),
            RedemptionStatus.NotFound => VoucherNotFound(code),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Voucher not redeemable.",
                detail: $"Voucher {code} is {Wire(result.Status)}."),
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
            RedemptionStatus.Released or RedemptionStatus.Expired => TypedResults.Ok(new RedemptionStatusResponse(code, Wire(result.Status))),
            RedemptionStatus.NotFound or RedemptionStatus.NotYours => VoucherNotFound(code),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Voucher already redeemed.",
                detail: $"Voucher {code} was confirmed; its points are spent."),
        };
    }

    public static string Wire(RedemptionStatus status) => status switch
    {
        RedemptionStatus.Held => "held",
        RedemptionStatus.Redeemed => "redeemed",
        RedemptionStatus.Released => "released",
        RedemptionStatus.Expired => "expired",
        _ => status.ToString().ToLowerInvariant(),
    };

    private static RedemptionResponse Response(Redemption r) => new(r.Code, r.RewardId, r.Cost, Wire(r.Status), r.ExpiresAt);

    private static ProblemHttpResult VoucherNotFound(string code) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such voucher.", detail: $"There is no voucher '{code}'.");

    [GeneratedRegex("^[0-9A-Z]{4,32}$")]
    private static partial Regex CodePattern();
}
