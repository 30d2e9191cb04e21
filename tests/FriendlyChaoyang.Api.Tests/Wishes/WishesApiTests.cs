using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FriendlyChaoyang.Api.Tests.Growth;
using FriendlyChaoyang.Api.Tests.Notifications;

namespace FriendlyChaoyang.Api.Tests.Wishes;

/// <summary>Micro-wishes over REST: every step and its notification, who may take each step, lists, bad input and replays.</summary>
[Collection(ApiCollection.Name)]
public sealed class WishesApiTests(ApiFixture fixture)
{
    private const string Subdistrict = "maizidian";

    [Fact]
    public async Task AWishIsClaimedFulfilledAndConfirmedAndTheRiderIsNotifiedLiveOfEveryStep()
    {
        using var rider = await fixture.RiderAsync();
        using var op = await fixture.OperatorAsync(Subdistrict);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var stream = await NotificationsApiTests.OpenStreamAtAsync(rider, "/api/v1/riders/me/notifications/stream?after=0", null, timeout.Token);

        var posted = await rider.PostAsJsonAsync("/api/v1/wishes", Wish());
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        var wish = await posted.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("open", Subdistrict), (wish.GetProperty("status").GetString(), wish.GetProperty("subdistrictId").GetString()));
        var id = wish.Id();
        Assert.Equal("claimed", await StepAsync(op, id, "claim"));
        Assert.Equal("fulfilled", await StepAsync(op, id, "fulfil"));
        Assert.Equal("closed", await StepAsync(rider, id, "confirm"));

        List<string?> pushed = [];
        while (pushed.Count < 4)
        {
            pushed.Add((await stream.NextNotificationAsync(timeout.Token)).Data.GetProperty("kind").GetString());
        }
        Assert.Equal(["wish_open", "wish_claimed", "wish_fulfilled", "wish_closed"], pushed);
        var stored = await rider.GetFromJsonAsync<JsonElement>("/api/v1/riders/me/notifications");
        Assert.Equal(pushed, stored.EnumerateArray().Select(n => n.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task ASecondClaimIsAConflictAndOnlyTheClaimerFulfils()
    {
        using var rider = await fixture.RiderAsync();
        using var first = await fixture.ClientForAsync($"op-{Guid.NewGuid():N}", "operator", Subdistrict);
        using var second = await fixture.ClientForAsync($"op-{Guid.NewGuid():N}", "operator", Subdistrict);
        using var elsewhere = await fixture.OperatorAsync("jianwai");
        var id = await PostAsync(rider);

        await ProblemAssert.IsProblemAsync(await elsewhere.PostAsync($"/api/v1/wishes/{id}/claim", null), HttpStatusCode.Forbidden);
        Assert.Equal("claimed", await StepAsync(first, id, "claim"));
        Assert.Equal("claimed", await StepAsync(first, id, "claim"));
        await ProblemAssert.IsProblemAsync(await second.PostAsync($"/api/v1/wishes/{id}/claim", null), HttpStatusCode.Conflict);
        await ProblemAssert.IsProblemAsync(await second.PostAsync($"/api/v1/wishes/{id}/fulfil", null), HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(await rider.PostAsync($"/api/v1/wishes/{id}/confirm", null), HttpStatusCode.Conflict);
        var rejected = await first.PostAsJsonAsync($"/api/v1/wishes/{id}/reject", new { note = "已转交社区志愿者" });
        Assert.Equal("rejected", (await rejected.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task OperatorsListTheirSubdistrictsWishesByStatusAndARiderOnlyTheirOwn()
    {
        using var rider = await fixture.RiderAsync();
        using var otherRider = await fixture.RiderAsync();
        using var op = await fixture.OperatorAsync(Subdistrict);
        using var elsewhere = await fixture.OperatorAsync("jianwai");
        var open = await PostAsync(rider);
        var claimed = await PostAsync(rider);
        await StepAsync(op, claimed, "claim");

        var openList = await op.GetFromJsonAsync<JsonElement>("/api/v1/wishes?status=open&pageSize=100");
        Assert.Contains(open, Ids(openList));
        Assert.DoesNotContain(claimed, Ids(openList));
        Assert.Contains(claimed, Ids(await op.GetFromJsonAsync<JsonElement>("/api/v1/wishes?status=claimed&pageSize=100")));
        Assert.DoesNotContain(open, Ids(await elsewhere.GetFromJsonAsync<JsonElement>("/api/v1/wishes?pageSize=100")));
        Assert.Equal([open, claimed], Ids(await rider.GetFromJsonAsync<JsonElement>("/api/v1/wishes")));
        Assert.Empty(Ids(await otherRider.GetFromJsonAsync<JsonElement>("/api/v1/wishes")));
        await ProblemAssert.IsProblemAsync(await otherRider.GetAsync($"/api/v1/wishes/{open}"), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await elsewhere.GetAsync($"/api/v1/wishes/{open}"), HttpStatusCode.Forbidden);
        await ProblemAssert.IsValidationProblemAsync(await op.GetAsync("/api/v1/wishes?status=lost"), "status");
    }

    [Fact]
    public async Task BadWishesAreRefusedNamingTheFieldAndNothingIsStored()
    {
        using var rider = await fixture.RiderAsync();
        using var op = await fixture.OperatorAsync(Subdistrict);
        var before = await fixture.StoredAsync("wish");
        var cases = new (object Body, string Field)[]
        {
            (Wish(text: ""), "text"),
            (Wish(text: "   "), "text"),
            (Wish(text: new string('愿', 201)), "text"),
            (Wish(text: "A coat\u200B"), "text"),
            (Wish(kind: "money"), "kind"),
            (Wish(kind: null), "kind"),
            (Wish(subdistrictId: "atlantis"), "subdistrictId"),
            (Wish(subdistrictId: null), "subdistrictId"),
        };
        foreach (var (body, field) in cases)
        {
            await ProblemAssert.IsValidationProblemAsync(await rider.PostAsJsonAsync("/api/v1/wishes", body), field);
        }
        Assert.Equal(before, await fixture.StoredAsync("wish"));
        Assert.Equal(HttpStatusCode.Created, (await rider.PostAsJsonAsync("/api/v1/wishes", Wish(text: new string('愿', 200)))).StatusCode);

        var key = $"key-{Guid.NewGuid():N}";
        var first = await (await rider.PostWithKeyAsync("/api/v1/wishes", Wish(), key)).Content.ReadFromJsonAsync<JsonElement>();
        var repeat = await rider.PostWithKeyAsync("/api/v1/wishes", Wish(), key);
        Assert.Equal(HttpStatusCode.Created, repeat.StatusCode);
        Assert.Equal(first.Id(), (await repeat.Content.ReadFromJsonAsync<JsonElement>()).Id());
        await ProblemAssert.IsProblemAsync(await rider.PostWithKeyAsync("/api/v1/wishes", Wish(text: "Another"), key), HttpStatusCode.UnprocessableEntity);
        Assert.Equal(before + 2, await fixture.StoredAsync("wish"));
        await ProblemAssert.IsValidationProblemAsync(await op.PostAsJsonAsync($"/api/v1/wishes/{first.Id()}/reject", new { note = "" }), "note");
        Assert.Equal("open", (await op.GetFromJsonAsync<JsonElement>($"/api/v1/wishes/{first.Id()}")).GetProperty("status").GetString());
    }

    private static object Wish(string? text = "一件冬天的棉衣", string? kind = "daily_goods", string? subdistrictId = Subdistrict) =>
        new { text, kind, subdistrictId };

    private static async Task<string> PostAsync(HttpClient rider)
    {
        var response = await rider.PostAsJsonAsync("/api/v1/wishes", Wish());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).Id();
    }

    private static async Task<string?> StepAsync(HttpClient client, string id, string step)
    {
        var response = await client.PostAsync($"/api/v1/wishes/{id}/{step}", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString();
    }

    private static List<string> Ids(JsonElement list) => [.. list.EnumerateArray().Select(w => w.Id())];
}
