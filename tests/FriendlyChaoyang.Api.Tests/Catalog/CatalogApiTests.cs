using System.Net.Http.Json;
using System.Text.Json;

namespace FriendlyChaoyang.Api.Tests.Catalog;

[Collection(ApiCollection.Name)]
public sealed class CatalogApiTests(ApiFixture api)
{
    [Fact]
    public async Task AnyoneReadsTheCategoriesRewardsAndSubdistrictsInTheContractShape()
    {
        using var client = api.Anonymous();

        var categories = await client.GetFromJsonAsync<JsonElement>("/api/v1/issue-categories");
        var rewards = await client.GetFromJsonAsync<JsonElement>("/api/v1/rewards");
        var subdistricts = await client.GetFromJsonAsync<JsonElement>("/api/v1/subdistricts");

        Assert.Contains(categories.EnumerateArray(), c => c.GetProperty("id").GetString() == "pothole"
            && c.GetProperty("responseMinutes").GetInt32() > 0 && c.GetProperty("resolveHours").GetInt32() > 0);
        Assert.Contains(rewards.EnumerateArray(), r => r.GetProperty("id").GetString() == "laundry" && r.GetProperty("cost").GetInt32() == 10);
        Assert.Equal(43, subdistricts.GetArrayLength());
        Assert.All(subdistricts.EnumerateArray(), s => Assert.InRange(s.GetProperty("lat").GetDouble(), 39.44, 41.06));
    }
}
