using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FriendlyChaoyang.Api.Tests.Growth;

namespace FriendlyChaoyang.Api.Tests.Commendations;

/// <summary>
/// Commendations over REST: points once under retries, one compensating entry on revocation, the subdistrict rule, the
/// masked public feed, bad input. Default points: banner 20, good deed 5.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class CommendationsApiTests(ApiFixture fixture)
{
    private const string Subdistrict = "hujialou";

    [Fact]
    public async Task RetriedCommendationsPayOnceAndRepeatedRevocationsTakeThePointsBackOnce()
    {
        var riderId = $"rider-{Guid.NewGuid():N}";
        using var rider = await fixture.RiderAsync(riderId);
        using var op = await fixture.OperatorAsync(Subdistrict);
        var key = $"key-{Guid.NewGuid():N}";

        // A client that lost the answers retries the same request, several at once.
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => op.PostWithKeyAsync($"/api/v1/riders/{riderId}/commendations", Banner(), key)));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Created, a.StatusCode));
        var ids = await Task.WhenAll(answers.Select(async a => (await a.Content.ReadFromJsonAsync<JsonElement>()).Id()));
        var id = Assert.Single(ids.Distinct());
        Assert.Equal(20, await rider.BalanceAsync());
        Assert.Equal(1, (await rider.GrowthAsync()).GetProperty("commendations").GetInt32());

        for (var attempt = 0; attempt < 3; attempt++)
        {
            var revoked = await op.DeleteAsync($"/api/v1/riders/{riderId}/commendations/{id}");
            Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
            Assert.NotEqual(JsonValueKind.Null, (await revoked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("revokedAt").ValueKind);
        }

        var ledger = await rider.GetFromJsonAsync<JsonElement>("/api/v1/riders/me/points");
        Assert.Equal(0, ledger.GetProperty("balance").GetInt32());
        Assert.Equal([(-20, $"commendation:{id}:revoked"), (20, $"commendation:{id}")],
            ledger.GetProperty("entries").EnumerateArray().Select(e => (e.GetProperty("amount").GetInt32(), e.GetProperty("id").GetString())));
        Assert.Equal(0, (await rider.GrowthAsync()).GetProperty("commendations").GetInt32());
        var own = Assert.Single((await rider.GetFromJsonAsync<JsonElement>("/api/v1/riders/me/commendations")).EnumerateArray());
        Assert.Equal((id, "banner"), (own.Id(), own.GetProperty("kind").GetString()));
        Assert.NotEqual(JsonValueKind.Null, own.GetProperty("revokedAt").ValueKind);
        var notices = await rider.GetFromJsonAsync<JsonElement>("/api/v1/riders/me/notifications");
        Assert.Equal(["commendation", "commendation_revoked"], notices.EnumerateArray().Select(n => n.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task TheGoodNewsFeedMasksTheRidersNameAndNeverShowsTheirId()
    {
        var riderId = $"rider-{Guid.NewGuid():N}";
        using var rider = await fixture.RiderAsync(riderId);
        (await rider.PutAsJsonAsync("/api/v1/riders/me", new { displayName = "张伟", platform = "meituan", kind = "delivery" })).EnsureSuccessStatusCode();
        using var op = await fixture.OperatorAsync(Subdistrict);
        var created = await op.PostAsJsonAsync($"/api/v1/riders/{riderId}/commendations",
            new { kind = "good_deed", text = "顺手扶起倒地的共享单车", evidence = "photo ref 17, reported by a resident" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).Id();

        var response = await fixture.Anonymous().GetAsync($"/api/v1/commendations?subdistrict={Subdistrict}&pageSize=100");

        var raw = await response.Content.ReadAsStringAsync();
        var entry = JsonDocument.Parse(raw).RootElement.EnumerateArray().Single(c => c.Id() == id);
        Assert.Equal(("张**", "good_deed", "顺手扶起倒地的共享单车"),
            (entry.GetProperty("riderName").GetString(), entry.GetProperty("kind").GetString(), entry.GetProperty("text").GetString()));
        Assert.False(entry.TryGetProperty("riderId", out _));
        Assert.DoesNotContain(riderId, raw, StringComparison.Ordinal);
        Assert.DoesNotContain("张伟", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("photo ref 17", raw, StringComparison.Ordinal);
        Assert.Equal(1, (await rider.GrowthAsync()).GetProperty("goodDeeds").GetInt32());

        (await op.DeleteAsync($"/api/v1/riders/{riderId}/commendations/{id}")).EnsureSuccessStatusCode();
        var after = await fixture.Anonymous().GetFromJsonAsync<JsonElement>($"/api/v1/commendations?subdistrict={Subdistrict}&pageSize=100");
        Assert.DoesNotContain(id, after.EnumerateArray().Select(c => c.Id()));
    }

    [Fact]
    public async Task OnlyTheCommendingSubdistrictsOperatorsRevokeAndARefusalChangesNothing()
    {
        var riderId = $"rider-{Guid.NewGuid():N}";
        using var rider = await fixture.RiderAsync(riderId);
        using var op = await fixture.OperatorAsync(Subdistrict);
        using var elsewhere = await fixture.OperatorAsync("jianwai");
        var id = (await (await op.PostAsJsonAsync($"/api/v1/riders/{riderId}/commendations", Banner())).Content.ReadFromJsonAsync<JsonElement>()).Id();

        await ProblemAssert.IsProblemAsync(await elsewhere.DeleteAsync($"/api/v1/riders/{riderId}/commendations/{id}"), HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(await op.DeleteAsync($"/api/v1/riders/someone-else/commendations/{id}"), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await op.DeleteAsync($"/api/v1/riders/{riderId}/commendations/cmd-none"), HttpStatusCode.NotFound);

        Assert.Equal(20, await rider.BalanceAsync());
        var own = Assert.Single((await rider.GetFromJsonAsync<JsonElement>("/api/v1/riders/me/commendations")).EnumerateArray());
        Assert.Equal(JsonValueKind.Null, own.GetProperty("revokedAt").ValueKind);
    }

    [Fact]
    public async Task BadCommendationsAreRefusedNamingTheFieldAndNothingIsStored()
    {
        var riderId = $"rider-{Guid.NewGuid():N}";
        using var rider = await fixture.RiderAsync(riderId);
        using var op = await fixture.OperatorAsync(Subdistrict);
        var before = await fixture.StoredAsync("commendation");
        var cases = new (string RiderId, object Body, string Field)[]
        {
            (riderId, new { kind = "medal", text = "x" }, "kind"),
            (riderId, new { text = "x" }, "kind"),
            (riderId, new { kind = "banner", text = "" }, "text"),
            (riderId, new { kind = "banner", text = new string('赞', 501) }, "text"),
            (riderId, new { kind = "banner", text = "ok", evidence = new string('证', 501) }, "evidence"),
            ("me", Banner(), "riderId"),
        };
        foreach (var (target, body, field) in cases)
        {
            await ProblemAssert.IsValidationProblemAsync(await op.PostAsJsonAsync($"/api/v1/riders/{target}/commendations", body), field);
        }
        var key = $"key-{Guid.NewGuid():N}";
        (await op.PostWithKeyAsync($"/api/v1/riders/{riderId}/commendations", Banner(), key)).EnsureSuccessStatusCode();
        await ProblemAssert.IsProblemAsync(
            await op.PostWithKeyAsync($"/api/v1/riders/{riderId}/commendations", new { kind = "good_deed", text = "Another" }, key), HttpStatusCode.UnprocessableEntity);

        Assert.Equal(before + 1, await fixture.StoredAsync("commendation"));
        Assert.Equal(20, await rider.BalanceAsync());
        using var anonymous = fixture.Anonymous();
        await ProblemAssert.IsValidationProblemAsync(await anonymous.GetAsync("/api/v1/commendations"), "subdistrict");
        await ProblemAssert.IsValidationProblemAsync(await anonymous.GetAsync("/api/v1/commendations?subdistrict=atlantis"), "subdistrict");
    }

    private static object Banner() => new { kind = "banner", text = "拾金不昧，归还失主钱包" };
}
