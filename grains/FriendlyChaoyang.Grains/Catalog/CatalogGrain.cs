using Orleans.Concurrency;

namespace FriendlyChaoyang.Catalog;

/// <summary>Serves the catalogues from the silo's <see cref="CatalogData"/>, on whichever silo the caller is on.</summary>
[StatelessWorker]
public sealed class CatalogGrain(CatalogData catalog) : Grain, ICatalogGrain
{
    public Task<IReadOnlyList<IssueCategory>> GetIssueCategoriesAsync() => Task.FromResult(catalog.IssueCategories);

    public Task<IReadOnlyList<Reward>> GetRewardsAsync() => Task.FromResult(catalog.Rewards);

    public Task<IReadOnlyList<Subdistrict>> GetSubdistrictsAsync() => Task.FromResult(catalog.Subdistricts);
}
