using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FriendlyChaoyang.Points;

namespace FriendlyChaoyang.Api.Tests.Points;

/// <summary>Who confirms and who sees a voucher, its confirmation audit, and Idempotency-Key replays of a redemption.</summary>
[Collection(ApiCollection.Name)]
public sealed class RedemptionsApiTests(ApiFixture fixture)
{
    [Fact]
    public async Task AVoucherForASubdistrictIsConfirmedOnlyByItsOperatorsAndTheConfirmationIsAudited()
    {
        using var rider = await fixture.RiderWithPointsAsync(10);
        using var otherRider = await fixture.RiderAsync();
        using var jianwai = await fixture.OperatorAsync("jianwai");
        using var chaowai = await fixture.OperatorAsync("chaowai");
        var created = await rider.RedeemAsync(new { rewardId = "laundry", subdistrictId = "jianwai" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var voucher = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("jianwai", voucher.GetProperty("subdistrictId").GetString());
        var code = voucher.GetProperty("code").GetString()!;

        var refused = await ProblemAssert.IsProblemAsync(await chaowai.PostAsync($"/api/v1/redemptions/{code}/confirm", null), HttpStatusCode.Forbidden);
        Assert.Contains(code, refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await ProblemAssert.IsProblemAsync(await chaowai.GetAsync($"/api/v1/redemptions/{code}"), HttpStatusCode.Forbidden);
        var untouched = await rider.GetFromJsonAsync<JsonElement>($"/api/v1/redemptions/{code}");
        Assert.Equal("held", untouched.GetProperty("status").GetString());
        Assert.Empty(untouched.GetProperty("confirmations").EnumerateArray());
        Assert.Equal(10, (await PointsAsync(rider)).GetProperty("held").GetInt32());

        var before = DateTimeOffset.UtcNow;
        var confirmed = await jianwai.PostAsync($"/api/v1/redemptions/{code}/confirm", null);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var body = await confirmed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("redeemed", body.GetProperty("status").GetString());
        var audit = Assert.Single(body.GetProperty("confirmations").EnumerateArray());
        Assert.Equal("op-jianwai", audit.GetProperty("by").GetString());
        Assert.Equal("jianwai", audit.GetProperty("subdistrictId").GetString());
        Assert.Equal("redeemed", audit.GetProperty("status").GetString());
        Assert.InRange(audit.GetProperty("at").GetDateTimeOffset(), before.AddSeconds(-5), DateTimeOffset.UtcNow.AddSeconds(5));

        var repeat = await jianwai.PostAsync($"/api/v1/redemptions/{code}/confirm", null);
        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        Assert.Equal(body.GetRawText(), (await repeat.Content.ReadFromJsonAsync<JsonElement>()).GetRawText());
        await ProblemAssert.IsProblemAsync(await chaowai.PostAsync($"/api/v1/redemptions/{code}/confirm", null), HttpStatusCode.Forbidden);
        Assert.Equal(body.GetRawText(), (await rider.GetFromJsonAsync<JsonElement>($"/api/v1/redemptions/{code}")).GetRawText());
        Assert.Equal(body.GetRawText(), (await jianwai.GetFromJsonAsync<JsonElement>($"/api/v1/redemptions/{code}")).GetRawText());
        await ProblemAssert.IsProblemAsync(await otherRider.GetAsync($"/api/v1/redemptions/{code}"), HttpStatusCode.NotFound);
        var points = await PointsAsync(rider);
        Assert.Equal(0, points.GetProperty("balance").GetInt32());
        Assert.Equal(0, points.GetProperty("held").GetInt32());
    }

    [Fact]
    public async Task AVoucherWithoutASubdistrictIsBoundToTheFirstConfirmingOperatorsSubdistrict()
    {
        using var rider = await fixture.RiderWithPointsAsync(10);
        using var hujialou = await fixture.OperatorAsync("hujialou");
        using var sanlitun = await fixture.OperatorAsync("sanlitun");
        var voucher = await (await rider.RedeemAsync(new { rewardId = "laundry" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(JsonValueKind.Null, voucher.GetProperty("subdistrictId").ValueKind);
        var code = voucher.GetProperty("code").GetString()!;
        // Until it is bound, any operator may be the one who serves it.
        Assert.Equal(HttpStatusCode.OK, (await sanlitun.GetAsync($"/api/v1/redemptions/{code}")).StatusCode);

        var confirmed = await (await hujialou.PostAsync($"/api/v1/redemptions/{code}/confirm", null)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("hujialou", confirmed.GetProperty("subdistrictId").GetString());
        Assert.Equal("hujialou", Assert.Single(confirmed.GetProperty("confirmations").EnumerateArray()).GetProperty("subdistrictId").GetString());
        await ProblemAssert.IsProblemAsync(await sanlitun.PostAsync($"/api/v1/redemptions/{code}/confirm", null), HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(await sanlitun.GetAsync($"/api/v1/redemptions/{code}"), HttpStatusCode.Forbidden);
        Assert.Equal("hujialou", (await rider.GetFromJsonAsync<JsonElement>($"/api/v1/redemptions/{code}")).GetProperty("subdistrictId").GetString());
    }

    [Fact]
    public async Task AnUnknownSubdistrictIsRefusedNamingTheFieldAndHoldsNothing()
    {
        using var rider = await fixture.RiderWithPointsAsync(10);

        await ProblemAssert.IsValidationProblemAsync(await rider.RedeemAsync(new { rewardId = "laundry", subdistrictId = "atlantis" }), "subdistrictId");
        await ProblemAssert.IsValidationProblemAsync(await rider.RedeemAsync(new { rewardId = "laundry", subdistrictId = "" }), "subdistrictId");

        Assert.Equal(0, (await PointsAsync(rider)).GetProperty("held").GetInt32());
    }

    [Fact]
    public async Task AReplayedIdempotencyKeyWithTheSameBodyReturnsTheSameVoucherAndWithAnotherBodyIs422HoldingOnce()
    {
        using var rider = await fixture.RiderWithPointsAsync(50);
        const string key = "laundry-at-jianwai";
        var first = await (await rider.RedeemAsync(new { rewardId = "laundry", subdistrictId = "jianwai" }, key)).Content.ReadFromJsonAsync<JsonElement>();

        var same = await rider.RedeemAsync(new { rewardId = "laundry", subdistrictId = "jianwai" }, key);
        Assert.Equal(HttpStatusCode.Created, same.StatusCode);
        Assert.Equal(first.GetRawText(), (await same.Content.ReadFromJsonAsync<JsonElement>()).GetRawText());
        object[] otherBodies =
        [
            new { rewardId = "haircut", subdistrictId = "jianwai" },
            new { rewardId = "laundry", subdistrictId = "chaowai" },
            new { rewardId = "laundry" },
        ];
        foreach (var other in otherBodies)
        {
            var problem = await ProblemAssert.IsProblemAsync(await rider.RedeemAsync(other, key), HttpStatusCode.UnprocessableEntity);
            Assert.Contains("Idempotency-Key", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        }

        var points = await PointsAsync(rider);
        Assert.Equal(10, points.GetProperty("held").GetInt32());
        var voucher = await rider.GetFromJsonAsync<JsonElement>($"/api/v1/redemptions/{first.GetProperty("code").GetString()}");
        Assert.Equal("laundry", voucher.GetProperty("rewardId").GetString());
        Assert.Equal("jianwai", voucher.GetProperty("subdistrictId").GetString());
    }

    [Fact]
    public async Task TwoHundredConcurrentRedemptionsWithOneIdempotencyKeyAndBodyHoldTheCostOnce()
    {
        using var rider = await fixture.RiderWithPointsAsync(100);

        var responses = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ =>
            rider.RedeemAsync(new { rewardId = "laundry", subdistrictId = "jianwai" }, "one-tap-many-retries")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var codes = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()));
        Assert.Single(codes.Distinct());
        var points = await PointsAsync(rider);
        Assert.Equal(100, points.GetProperty("balance").GetInt32());
        Assert.Equal(10, points.GetProperty("held").GetInt32());
    }

    [Fact]
    public async Task TheDocumentListsTheFourVoucherStatesAndDeclaresTheNewRefusals()
    {
        var document = await fixture.Anonymous().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var operations = (
            from path in document.GetProperty("paths").EnumerateObject()
            from operation in path.Value.EnumerateObject()
            select operation.Value).ToDictionary(o => o.GetProperty("operationId").GetString()!);

        var status = schemas.GetProperty(nameof(RedemptionStatus));
        Assert.Equal(["held", "redeemed", "released", "expired"], status.GetProperty("enum").EnumerateArray().Select(v => v.GetString()!));
        Assert.Contains("422", Statuses(operations["redeemReward"]));
        Assert.Contains("403", Statuses(operations["confirmRedemption"]));
        Assert.Superset(new HashSet<string> { "200", "401", "403", "404", "429" }, Statuses(operations["getRedemption"]));
    }

    private static HashSet<string> Statuses(JsonElement operation) => [.. operation.GetProperty("responses").EnumerateObject().Select(r => r.Name)];

    private static async Task<JsonElement> PointsAsync(HttpClient rider) => await rider.GetFromJsonAsync<JsonElement>("/api/v1/riders/me/points");
}
