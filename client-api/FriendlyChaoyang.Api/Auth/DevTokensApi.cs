using System.Text.RegularExpressions;
using FriendlyChaoyang.Api.Security;
using FriendlyChaoyang.Catalog;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FriendlyChaoyang.Api.Auth;

public sealed record DevTokenRequest(string? Subject, string? Role, string? Subdistrict);

public sealed record DevTokenResponse(string Token, DateTimeOffset ExpiresAt);

/// <summary>Mints tokens for local runs and tests. Mapped only when Auth:DevTokens is true.</summary>
public static partial class DevTokensApi
{
    public static IEndpointRouteBuilder MapDevTokensApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/dev/tokens", IssueAsync)
            .RequireRateLimiting(RateLimits.DevTokens)
            .WithTags("Development")
            .WithSummary("Issue a signed token for any subject and role (development only).");
        return app;
    }

    public static async Task<Results<Ok<DevTokenResponse>, ValidationProblem>> IssueAsync(
        DevTokenRequest request, TokenIssuer issuer, IClusterClient cluster)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Subject) || !SubjectPattern().IsMatch(request.Subject))
        {
            errors["subject"] = ["Required: 1-64 characters of letters, digits, '-', '_', '.' or ':'."];
        }
        if (request.Role is null || !Roles.All.Contains(request.Role))
        {
            errors["role"] = ["Must be one of: rider, operator, admin."];
        }
        if (request.Role == Roles.Operator)
        {
            var subdistricts = await cluster.GetGrain<ICatalogGrain>(0).GetSubdistrictsAsync();
            if (request.Subdistrict is null || subdistricts.All(s => s.Id != request.Subdistrict))
            {
                errors["subdistrict"] = ["An operator needs the id of a Chaoyang subdistrict (see seeds/data/subdistricts.csv)."];
            }
        }
        else if (request.Subdistrict is not null)
        {
            errors["subdistrict"] = ["Only operators serve a subdistrict."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var (token, expiresAt) = issuer.Issue(request.Subject!, request.Role!, request.Subdistrict);
        return TypedResults.Ok(new DevTokenResponse(token, expiresAt));
    }

    [GeneratedRegex("^[A-Za-z0-9_.:-]{1,64}$")]
    private static partial Regex SubjectPattern();
}
