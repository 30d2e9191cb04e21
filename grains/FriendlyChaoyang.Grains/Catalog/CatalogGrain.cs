using Orleans.Concurrency;

namespace FriendlyChaoyang.Catalog;

/// <summary>Serves the seeded catalogues from memory on whichever silo the caller is on.</summary>
[StatelessWorker]
public sealed class CatalogGrain : Grain, ICatalogGrain
{
    private static readonly IReadOnlyList<IssueCategory> Categories =
        [.. SeedData.IssueCategories.Select(c => new IssueCategory(c.Id, c.NameZh, c.ResponseMinutes, c.ResolveHours))];

    private static readonly IReadOnlyList<Reward> Rewards =
        [.. SeedData.Rewards.Select(r => new Reward(r.Id, r.NameZh, r.Cost))];

    private static readonly IReadOnlyList<Subdistrict> Subdistricts =
        [.. SeedData.Subdistricts.Select(s => new Subdistrict(s.Id, s.NameZh, s.NamePinyin, s.Lat, s.Lon))];

    public Task<IReadOnlyList<IssueCategory>> GetIssueCategoriesAsync() => Task.FromResult(Categories);

    public Task<IReadOnlyList<Reward>> GetRewardsAsync() => Task.FromResult(Rewards);

    public Task<IReadOnlyList<Subdistrict>> GetSubdistrictsAsync() => Task.FromResult(Subdistricts);
}
