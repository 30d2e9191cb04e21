using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace FriendlyChaoyang.Api.Tests.Points;

[Collection(ApiCollection.Name)]
public sealed class PointsApiTests(ApiFixture fixture)
{
    [Fact]
    public async Task FiftyConcurrentRedemptionsAgainstABalanceThatCoversThreeSucceedExactlyThreeTimes()
    {
        using var rider = await fixture.RiderWithPointsAsync(30);

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ =>
            rider.PostAsJsonAsync("/api/v1/redemptions", new { rewardId = "laundry" }))); // 10 points each

        Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(47, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        var points = await rider.GetFromJsonAsync<JsonElement>("/api/v1/riders/me/points");
        Assert.Equal(30, points.GetProperty("balance").GetInt32());
        Assert.Equal(30, points.GetProperty("held").GetInt32());
    }

    [Fact]
    public async Task AVoucherIsHeldThenConfirmedOnceAndACancelledOneGivesThePointsBack()
    {
        using var rider = await fixture.RiderWithPointsAsync(20);
        using var op = await fixture.OperatorAsync("jianwai");

        var created = await rider.RedeemAsync(new { rewardId = "haircut" }, "haircut-1");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var voucher = await created.Content.ReadFromJsonAsync<JsonElement>();
        var code = voucher.GetProperty("code").GetString()!;
        Assert.Equal("held", voucher.GetProperty("status").GetString());
        Assert.Equal(8, voucher.GetProperty("cost").GetInt32());
        Assert.True(voucher.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddHours(23));

        var again = await (await rider.RedeemAsync(new { rewardId = "haircut" }, "haircut-1")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(code, again.GetProperty("code").GetString());

        for (var i = 0; i < 2; i++)
        {
            var confirmed = await op.PostAsync($"/api/v1/redemptions/{code}/confirm", null);
            Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
            Assert.Equal("redeemed", (await confirmed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        }
        Assert.Equal(HttpStatusCode.Conflict, (await rider.DeleteAsync($"/api/v1/redemptions/{code}")).StatusCode);

        var second = await (await rider.PostAsJsonAsync("/api/v1/redemptions", new { rewardId = "haircut" })).Content.ReadFromJsonAsync<JsonElement>();
        var cancelled = await rider.DeleteAsync($"/api/v1/redemptions/{second.GetProperty("code").GetString()}");
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal("released", (await cancelled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());

        var points = await rider.GetFromJsonAsync<JsonElement>("/api/v1/riders/me/points");
        Assert.Equal(12, points.GetProperty("balance").GetInt32());
        Assert.Equal(0, points.GetProperty("held").GetInt32());
        Assert.Equal([-8, 20], points.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("amount").GetInt32()).ToArray());

        Assert.Equal(HttpStatusCode.Conflict, (await rider.PostAsJsonAsync("/api/v1/redemptions", new { rewardId = "massage" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await rider.PostAsJsonAsync("/api/v1/redemptions", new { rewardId = "yacht" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await op.PostAsync("/api/v1/redemptions/NOSUCHCODE00/confirm", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rider.PostAsync($"/api/v1/redemptions/{code}/confirm", null)).StatusCode);
    }

    [Theory]
    [InlineData("page=0")]
    [InlineData("page=107374184")] // page x page size would overflow an int
    [InlineData("page=-3")]
    public async Task ALedgerPageOutsideItsBoundsIsRefusedNamingThePage(string query)
    {
        using var rider = await fixture.RiderAsync();

        await ProblemAssert.IsValidationProblemAsync(await rider.GetAsync($"/api/v1/riders/me/points?{query}"), "page");
    }

    [Fact]
    public async Task AMalformedIdempotencyKeyIsRefusedUnderTheHeadersNameAndHoldsNothing()
    {
        using var rider = await fixture.RiderWithPointsAsync(10);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/redemptions") { Content = JsonContent.Create(new { rewardId = "laundry" }) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", "two words");

        await ProblemAssert.IsValidationProblemAsync(await rider.SendAsync(request), "Idempotency-Key");

        var points = await rider.GetFromJsonAsync<JsonElement>("/api/v1/riders/me/points");
        Assert.Equal(0, points.GetProperty("held").GetInt32());
    }

    [Fact]
    public async Task ARedemptionWithoutARewardIdIsRefusedNamingTheField()
    {
        using var rider = await fixture.RiderAsync();

        await ProblemAssert.IsValidationProblemAsync(await rider.PostAsJsonAsync("/api/v1/redemptions", new { }), "rewardId");
    }
}
