using System.ComponentModel.DataAnnotations;
using FriendlyChaoyang.Api.Security;
using FriendlyChaoyang.Catalog;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FriendlyChaoyang.Api.Auth;

public sealed record DevTokenRequest(
    [property: Required(ErrorMessage = DevTokensApi.SubjectRule), RegularExpression("^[A-Za-z0-9_.:-]{1,64}$", ErrorMessage = DevTokensApi.SubjectRule)]
    string? Subject,
    [property: Required(ErrorMessage = DevTokensApi.RoleRule), AllowedValues(Roles.Rider, Roles.Operator, Roles.Admin, ErrorMessage = DevTokensApi.RoleRule)]
    string? Role,
    string? Subdistrict) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Role == Roles.Operator && Subdistrict is null)
        {
            yield return new ValidationResult(DevTokensApi.OperatorNeedsSubdistrict, [nameof(Subdistrict)]);
        }
        else if (Role != Roles.Operator && Subdistrict is not null)
        {
            yield return new ValidationResult("Only operators serve a subdistrict.", [nameof(Subdistrict)]);
        }
    }
}

public sealed record DevTokenResponse(string Token, DateTimeOffset ExpiresAt);

/// <summary>Mints tokens for local runs and tests. Mapped only when Auth:DevTokens is true.</summary>
public static class DevTokensApi
{
    public const string SubjectRule = "Required: 1-64 characters of letters, digits, '-', '_', '.' or ':'.";
    public const string RoleRule = "Must be one of: rider, operator, admin.";
    public const string OperatorNeedsSubdistrict = "An operator needs the id of a Chaoyang subdistrict (see GET /api/v1/subdistricts).";

    public static IEndpointRouteBuilder MapDevTokensApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/dev/tokens", IssueAsync)
            .RequireRateLimiting(RateLimits.DevTokens)
            .WithTags("Development")
            .WithName("issueDevToken")
            .WithSummary("Issue a signed token for any subject and role (development only).")
            .WithDescription("Exists only when configuration Auth:DevTokens is true (local runs and tests). role = rider | operator | admin; " +
                "an operator also names the subdistrict it serves.");
        return app;
    }

    public static async Task<Results<Ok<DevTokenResponse>, ValidationProblem>> IssueAsync(
        DevTokenRequest request, TokenIssuer issuer, IClusterClient cluster)
    {
        if (request.Role == Roles.Operator)
        {
            // The subdistricts live in the cluster's catalogue, so this rule is checked here, not by the validator.
            var subdistricts = await cluster.GetGrain<ICatalogGrain>(0).GetSubdistrictsAsync();
            if (subdistricts.All(s => s.Id != request.Subdistrict))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["subdistrict"] = [OperatorNeedsSubdistrict] });
            }
        }
        var (token, expiresAt) = issuer.Issue(request.Subject!, request.Role!, request.Subdistrict);
        return TypedResults.Ok(new DevTokenResponse(token, expiresAt));
    }
}
