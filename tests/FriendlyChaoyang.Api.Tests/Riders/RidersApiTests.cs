using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace FriendlyChaoyang.Api.Tests.Riders;

[Collection(ApiCollection.Name)]
public sealed class RidersApiTests(ApiFixture api)
{
    [Fact]
    public async Task ARiderUpdatesItsOwnProfileAndBadValuesAreRejected()
    {
        var riderId = $"rider-{Guid.NewGuid():N}";
        using var rider = await api.RiderAsync(riderId);

        var bad = await rider.PutAsJsonAsync("/api/v1/riders/me", new { displayName = "", platform = "meituan", kind = "pilot" });
        var good = await rider.PutAsJsonAsync("/api/v1/riders/me", new { displayName = " Li Lei ", platform = "meituan", kind = "delivery" });
        var me = await rider.GetFromJsonAsync<JsonElement>("/api/v1/riders/me");

        await ProblemAssert.IsValidationProblemAsync(bad, "displayName", "kind");
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Equal(riderId, me.GetProperty("id").GetString());
        Assert.Equal("Li Lei", me.GetProperty("displayName").GetString());
        Assert.Equal(0, me.GetProperty("points").GetProperty("balance").GetInt32());
    }

    [Fact]
    public async Task ARefusedProfileUpdateChangesNothingAndNamesEveryBadField()
    {
        using var rider = await api.RiderAsync();
        await rider.PutAsJsonAsync("/api/v1/riders/me", new { displayName = "Han Meimei", platform = "eleme", kind = "courier" });

        var refused = await rider.PutAsJsonAsync("/api/v1/riders/me",
            new { displayName = new string('x', 41), platform = (string?)null, kind = "Delivery" });

        await ProblemAssert.IsValidationProblemAsync(refused, "displayName", "platform", "kind");
        var me = await rider.GetFromJsonAsync<JsonElement>("/api/v1/riders/me");
        Assert.Equal("Han Meimei", me.GetProperty("displayName").GetString());
        Assert.Equal("courier", me.GetProperty("kind").GetString());
    }
}
