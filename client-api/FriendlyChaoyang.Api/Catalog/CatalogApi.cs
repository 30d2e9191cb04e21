using FriendlyChaoyang.Catalog;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FriendlyChaoyang.Api.Catalog;

public static class CatalogApi
{
    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Catalogue");
        api.MapGet("/issue-categories", ListIssueCategoriesAsync)
            .WithName("listIssueCategories")
            .WithSummary("Hazard categories.")
            .WithDescription("Every category a report can name, with its response target (minutes until the team is on site) and " +
                "resolve target (hours). Anonymous.");
        api.MapGet("/rewards", ListRewardsAsync)
            .WithName("listRewards")
            .WithSummary("What points can be spent on.")
            .WithDescription("Services at partner service points (laundry, haircut, ...) with their cost in points. Anonymous.");
        api.MapGet("/subdistricts", ListSubdistrictsAsync)
            .WithName("listSubdistricts")
            .WithSummary("Chaoyang's subdistricts.")
            .WithDescription("The 43 subdistricts (街道 and 地区) with their Chinese and pinyin names and WGS84 centres. Anonymous.");
        return app;
    }

    public static async Task<Ok<IReadOnlyList<IssueCategory>>> ListIssueCategoriesAsync(IClusterClient cluster) =>
        TypedResults.Ok(await cluster.GetGrain<ICatalogGrain>(0).GetIssueCategoriesAsync());

    public static async Task<Ok<IReadOnlyList<Reward>>> ListRewardsAsync(IClusterClient cluster) =>
        TypedResults.Ok(await cluster.GetGrain<ICatalogGrain>(0).GetRewardsAsync());

    public static async Task<Ok<IReadOnlyList<Subdistrict>>> ListSubdistrictsAsync(IClusterClient cluster) =>
        TypedResults.Ok(await cluster.GetGrain<ICatalogGrain>(0).GetSubdistrictsAsync());
}
