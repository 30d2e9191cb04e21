using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using FriendlyChaoyang.Api.Auth;
using FriendlyChaoyang.Api.Validation;
using FriendlyChaoyang.Riders;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FriendlyChaoyang.Api.Riders;

public sealed record RiderProfileRequest(
    [property: Required(ErrorMessage = "Required, at most 40 characters."), StringLength(40, ErrorMessage = "Required, at most {1} characters."), PlainText]
    string? DisplayName,
    [property: Required(ErrorMessage = "Required, at most 32 characters (e.g. meituan, eleme, sf-express, didi)."),
        StringLength(32, ErrorMessage = "Required, at most {1} characters (e.g. meituan, eleme, sf-express, didi)."), PlainText]
    string? Platform,
    [property: Required(ErrorMessage = "One of: delivery, courier, driver."),
        AllowedValues("delivery", "courier", "driver", ErrorMessage = "One of: delivery, courier, driver.")]
    string? Kind);

public static class RidersApi
{
    public static IEndpointRouteBuilder MapRidersApi(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/v1/riders/me").WithTags("Riders").RequireAuthorization(Policies.Rider);
        me.MapGet("/", GetAsync)
            .WithName("getMe")
            .WithSummary("The calling rider: profile, current station and points.")
            .WithDescription("The rider is the token's subject; a rider never seen before has an empty profile and no points.");
        me.MapPut("/", UpdateAsync)
            .WithName("updateMe")
            .WithSummary("Set display name, platform and kind.")
            .WithDescription("displayName (at most 40 characters), platform (at most 32, e.g. meituan, eleme, sf-express, didi) and " +
                "kind (delivery, courier or driver). Answers the updated rider.");
        return app;
    }

    public static async Task<Ok<RiderProfile>> GetAsync(ClaimsPrincipal user, IClusterClient cluster) =>
        TypedResults.Ok(await cluster.GetGrain<IRiderGrain>(user.RiderId()).GetProfileAsync());

    public static async Task<Ok<RiderProfile>> UpdateAsync(RiderProfileRequest request, ClaimsPrincipal user, IClusterClient cluster)
    {
        var profile = await cluster.GetGrain<IRiderGrain>(user.RiderId())
            .UpdateProfileAsync(new RiderProfileUpdate(request.DisplayName!.Trim(), request.Platform!.Trim(), request.Kind!));
        return TypedResults.Ok(profile);
    }
}
