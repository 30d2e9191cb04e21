using System.Security.Claims;
using FriendlyChaoyang.Api.Auth;
using FriendlyChaoyang.Riders;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FriendlyChaoyang.Api.Riders;

public sealed record RiderProfileRequest(string? DisplayName, string? Platform, string? Kind);

public static class RidersApi
{
    public static readonly IReadOnlySet<string> Kinds = new HashSet<string>(StringComparer.Ordinal) { "delivery", "courier", "driver" };

    public static IEndpointRouteBuilder MapRidersApi(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/v1/riders/me").WithTags("Riders").RequireAuthorization(Policies.Rider);
        me.MapGet("/", GetAsync).WithSummary("The calling rider: profile, current station and points.");
        me.MapPut("/", UpdateAsync).WithSummary("Set display name, platform and kind (delivery, courier or driver).");
        return app;
    }

    public static async Task<Ok<RiderProfile>> GetAsync(ClaimsPrincipal user, IClusterClient cluster) =>
        TypedResults.Ok(await cluster.GetGrain<IRiderGrain>(user.RiderId()).GetProfileAsync());

    public static async Task<Results<Ok<RiderProfile>, ValidationProblem>> UpdateAsync(
        RiderProfileRequest request, ClaimsPrincipal user, IClusterClient cluster)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.DisplayName) || request.DisplayName.Length > 40)
        {
            errors["displayName"] = ["Required, at most 40 characters."];
        }
        if (string.IsNullOrWhiteSpace(request.Platform) || request.Platform.Length > 32)
        {
            errors["platform"] = ["Required, at most 32 characters (e.g. meituan, eleme, sf-express, didi)."];
        }
        if (request.Kind is null || !Kinds.Contains(request.Kind))
        {
            errors["kind"] = ["One of: delivery, courier, driver."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var profile = await cluster.GetGrain<IRiderGrain>(user.RiderId())
            .UpdateProfileAsync(new RiderProfileUpdate(request.DisplayName!.Trim(), request.Platform!.Trim(), request.Kind!));
        return TypedResults.Ok(profile);
    }
}
