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

    [Theory]
    [InlineData("Li\u202ELei")] // right-to-left override
    [InlineData("Li\u200BLei")] // zero-width space
    [InlineData("Li\u0000Lei")]
    [InlineData("Li\nLei")]
    [InlineData("Li\uE000Lei")] // private use
    public async Task ADisplayNameWithControlOrInvisibleCharactersIsRefused(string displayName)
    {
        using var rider = await api.RiderAsync();

        var refused = await rider.PutAsJsonAsync("/api/v1/riders/me", new { displayName, platform = "meituan", kind = "delivery" });

        await ProblemAssert.IsValidationProblemAsync(refused, "displayName");
        Assert.Equal(JsonValueKind.Null, (await rider.GetFromJsonAsync<JsonElement>("/api/v1/riders/me")).GetProperty("displayName").ValueKind);
    }

    [Fact]
    public async Task ChineseNamesAndEmojiArePlainText()
    {
        using var rider = await api.RiderAsync();

        var accepted = await rider.PutAsJsonAsync("/api/v1/riders/me", new { displayName = "张伟 🛵", platform = "美团", kind = "delivery" });

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }
}
