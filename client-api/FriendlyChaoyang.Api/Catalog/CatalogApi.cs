using FriendlyChaoyang.Catalog;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FriendlyChaoyang.Api.Catalog;

public static class CatalogApi
{
    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Catalogue");
        api.MapGet("/issue-categories", async (IClusterClient cluster) =>
                TypedResults.Ok(await cluster.GetGrain<ICatalogGrain>(0).GetIssueCategoriesAsync()))
            .WithSummary("Hazard categories with response (minutes to on site) and resolve (hours) targets.");
        api.MapGet("/rewards", async (IClusterClient cluster) =>
                TypedResults.Ok(await cluster.GetGrain<ICatalogGrain>(0).GetRewardsAsync()))
            .WithSummary("What points can be spent on.");
        api.MapGet("/subdistricts", async (IClusterClient cluster) =>
                TypedResults.Ok(await cluster.GetGrain<ICatalogGrain>(0).GetSubdistrictsAsync()))
            .WithSummary("Chaoyang's subdistricts (街道 and 地区) with their centres.");
        return app;
    }
}
