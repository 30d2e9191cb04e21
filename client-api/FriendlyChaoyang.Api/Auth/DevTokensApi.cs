using System.ComponentModel.DataAnnotations;
using FriendlyChaoyang.Api.Security;
using FriendlyChaoyang.Catalog;
using FriendlyChaoyang.Stations;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FriendlyChaoyang.Api.Auth;

public sealed record DevTokenRequest(
    [property: Required(ErrorMessage = DevTokensApi.SubjectRule), RegularExpression("^[A-Za-z0-9_.:-]{1,64}$", ErrorMessage = DevTokensApi.SubjectRule)]
    string? Subject,
    [property: Required(ErrorMessage = DevTokensApi.RoleRule), AllowedValues(Roles.Rider, Roles.Operator, Roles.Manager, Roles.Admin, ErrorMessage = DevTokensApi.RoleRule)]
    string? Role,
    string? Subdistrict,
    string? Station = null) : IValidatableObject
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
        if (Station is not null && !RouteIds.IsValid(Station))
        {
            yield return new ValidationResult(RouteIds.Rule, [nameof(Station)]);
        }
        else if (Role == Roles.Manager && Station is null)
        {
            yield return new ValidationResult(DevTokensApi.ManagerNeedsStation, [nameof(Station)]);
        }
        else if (Role != Roles.Manager && Station is not null)
        {
            yield return new ValidationResult("Only managers run a station.", [nameof(Station)]);
        }
    }
}

public sealed record DevTokenResponse(string Token, DateTimeOffset ExpiresAt);

/// <summary>Mints tokens for local runs and tests. Mapped only when Auth:DevTokens is true.</summary>
public static class DevTokensApi
{
    public const string SubjectRule = "Required: 1-64 characters of letters, digits, '-', '_', '.' or ':'.";
    public const string RoleRule = "Must be one of: rider, operator, manager, admin.";
    public const string ManagerNeedsStation = "A manager needs the id of the station it runs (see GET /api/v1/stations/nearby).";
    public const string OperatorNeedsSubdistrict = "An operator needs the id of a Chaoyang subdistrict (see GET /api/v1/subdistricts).";

    public static IEndpointRouteBuilder MapDevTokensApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/dev/tokens", IssueAsync)
            .RequireRateLimiting(RateLimits.DevTokens)
            .WithTags("Development")
            .WithName("issueDevToken")
            .WithSummary("Issue a signed token for any subject and role (development only).")
            .WithDescription("Exists only when configuration Auth:DevTokens is true (local runs and tests). role = rider | operator | manager | " +
                "admin; an operator also names the subdistrict it serves, a manager the station it runs.");
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
        if (request.Role == Roles.Manager && await cluster.GetGrain<IStationGrain>(request.Station!).GetAsync() is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["station"] = [ManagerNeedsStation] });
        }
        var (token, expiresAt) = issuer.Issue(request.Subject!, request.Role!, request.Subdistrict, request.Station);
        return TypedResults.Ok(new DevTokenResponse(token, expiresAt));
    }
}
