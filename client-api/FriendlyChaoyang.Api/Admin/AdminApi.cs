using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using FriendlyChaoyang.Admin;
using FriendlyChaoyang.Api.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FriendlyChaoyang.Api.Admin;

public sealed record ApiKeyRequest(string? Name, string? Platform);

/// <summary>The only time the key itself is shown: the registry keeps its hash.</summary>
public sealed record CreatedApiKey(string Id, string Key, string Name, string Platform, DateTimeOffset CreatedAt);

public sealed record ApiKeySummary(string Id, string Name, string Platform, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? RevokedAt);

/// <summary>Routes for admins only: partner platforms' api keys (the X-Api-Key of partner routes, the api_key of Open311).</summary>
public static partial class AdminApi
{
    public const int MaxNameLength = 100;

    private const string IdAlphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/api/v1/admin/api-keys").WithTags("Admin").RequireAuthorization(Policies.Admin);
        keys.MapPost("/", CreateApiKeyAsync).WithName("createApiKey")
            .WithSummary("Issue an api key for a partner platform.")
            .WithDescription("The answer is the only place the key appears: the server stores its SHA-256. The partner sends it in X-Api-Key.");
        keys.MapGet("/", ListApiKeysAsync).WithName("listApiKeys")
            .WithSummary("List partner api keys.")
            .WithDescription("Every api key issued, newest first, revoked ones included, with its name, platform and dates; never the keys themselves.");
        keys.MapDelete("/{id}", RevokeApiKeyAsync).WithName("revokeApiKey")
            .WithSummary("Revoke an api key.")
            .WithDescription("Every API instance refuses the key within Auth:ApiKeyCacheTtl (default 5 s); this one at once.");
        return app;
    }

    public static async Task<Results<Created<CreatedApiKey>, ValidationProblem>> CreateApiKeyAsync(
        ApiKeyRequest request, ClaimsPrincipal user, IClusterClient cluster, ApiKeyValidator validator)
    {
        var errors = new Dictionary<string, string[]>();
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength || name.Any(IsInvisible))
        {
            errors["name"] = [$"Required: the partner's name, at most {MaxNameLength} characters, no control characters."];
        }
        if (request.Platform is null || !PlatformPattern().IsMatch(request.Platform))
        {
            errors["platform"] = ["Required: the platform's id, 1-32 lower-case letters, digits or '-' (e.g. meituan, eleme, sf-express)."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var (key, hash) = ApiKeyValidator.NewKey();
        var id = "ak-" + RandomNumberGenerator.GetString(IdAlphabet, 12);
        var stored = await cluster.GetGrain<IApiKeyRegistryGrain>(0).AddAsync(new NewApiKey(id, name!, request.Platform!, hash, user.RiderId()));
        validator.Invalidate(); // the new key works through this instance at once, through others within the cache time
        return TypedResults.Created((string?)null, new CreatedApiKey(stored.Id, key, stored.Name, stored.Platform, stored.CreatedAt));
    }

    public static async Task<Ok<IReadOnlyList<ApiKeySummary>>> ListApiKeysAsync(IClusterClient cluster)
    {
        var keys = await cluster.GetGrain<IApiKeyRegistryGrain>(0).ListAsync();
        return TypedResults.Ok<IReadOnlyList<ApiKeySummary>>([.. keys
            .OrderByDescending(k => k.CreatedAt)
            .Select(k => new ApiKeySummary(k.Id, k.Name, k.Platform, k.CreatedAt, k.CreatedBy, k.RevokedAt))]);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeApiKeyAsync(string id, IClusterClient cluster, ApiKeyValidator validator)
    {
        if (!await cluster.GetGrain<IApiKeyRegistryGrain>(0).RevokeAsync(id))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such api key.", detail: $"There is no api key '{id}'.");
        }
        validator.Invalidate();
        return TypedResults.NoContent();
    }

    /// <summary>Control characters and invisible formatting (bidi overrides, zero-width) would hide what a name says.</summary>
    private static bool IsInvisible(char c) => char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format;

    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]{0,31}\z")]
    private static partial Regex PlatformPattern();
}
