using FriendlyChaoyang.Catalog;
using FriendlyChaoyang.Seeds;
using FriendlyChaoyang.Testing;

namespace FriendlyChaoyang.Tests.Catalog;

[Collection(ClusterCollection.Name)]
public sealed class CatalogTests(ClusterFixture fixture)
{
    [Fact]
    public async Task TheCatalogueGrainServesTheSeededCategoriesRewardsAndSubdistricts()
    {
        var catalog = fixture.Client.GetGrain<ICatalogGrain>(0);

        Assert.Equal(SeedData.IssueCategories, await catalog.GetIssueCategoriesAsync());
        Assert.Equal(SeedData.Rewards, await catalog.GetRewardsAsync());
        Assert.Equal(SeedData.Subdistricts, await catalog.GetSubdistrictsAsync());
        Assert.Equal(43, SeedData.Subdistricts.Count);
        Assert.Contains(SeedData.IssueCategories, c => c.Id == ClusterFixture.ShortResponseCategory);
    }

    [Fact]
    public void EverySeedStationIsRoutedToItsOwnSubdistrict()
    {
        var catalog = new CatalogData(SeedData.IssueCategories, SeedData.Rewards, SeedData.Subdistricts);

        Assert.All(SeedData.Stations, s => Assert.Equal(s.SubdistrictId, catalog.NearestSubdistrict(s.Lat, s.Lon).Id));
        Assert.Equal(SeedData.Rewards[0], catalog.FindReward(SeedData.Rewards[0].Id));
        Assert.Null(catalog.FindIssueCategory("no_such_category"));
    }
}
