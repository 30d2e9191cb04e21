using System.Security.Claims;
using FriendlyChaoyang.Api.Auth;
using FriendlyChaoyang.Growth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FriendlyChaoyang.Api.Growth;

public static class GrowthApi
{
    public static IEndpointRouteBuilder MapGrowthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/riders/me/growth", GetAsync).WithTags("Growth").RequireAuthorization(Policies.Rider)
            .WithName("getGrowth")
            .WithSummary("The rider's growth record.")
            .WithDescription("courses (enrolled or completed, with completedAt), activitiesAttended (station activities the rider was " +
                "scanned in at), commendations (standing banners, thank-you letters and letters home) and goodDeeds (standing good-deed " +
                "commendations). Revoked commendations do not count. The rider's own record only.");
        return app;
    }

    public static async Task<Ok<GrowthRecord>> GetAsync(ClaimsPrincipal user, IClusterClient cluster) =>
        TypedResults.Ok(await cluster.GetGrain<IGrowthGrain>(user.RiderId()).GetAsync());
}
