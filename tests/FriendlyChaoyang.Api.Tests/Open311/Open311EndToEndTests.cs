using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FriendlyChaoyang.Testing;
using static FriendlyChaoyang.Api.Tests.Open311.Open311Steps;

namespace FriendlyChaoyang.Api.Tests.Open311;

[Collection(ApiCollection.Name)]
public sealed class Open311EndToEndTests(ApiFixture api)
{
    [Fact]
    public async Task ARequestPostedForAPlatformsRiderIsQueuedResolvedReadBackClosedAndPaysThatRiderTwoPointsOnce()
    {
        var (_, key) = await IssueKeyAsync(api, "meituan");
        var accountId = $"acct-{Guid.NewGuid():N}";
        var (lat, lon) = FreshSpot();
        using var partner = api.Anonymous();

        var id = await PostedIdAsync(await partner.PostAsync($"{Base}/requests.json",
            Request(key, "manhole_cover", lat, lon, ("account_id", accountId), ("description", "井盖缺失 near the gate"))));

        using var admin = await api.ClientForAsync($"admin-{Guid.NewGuid():N}", "admin");
        var issue = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/issues/{id}");
        var subdistrictId = issue.GetProperty("subdistrictId").GetString()!;
        Assert.Equal($"meituan:{accountId}", issue.GetProperty("history")[0].GetProperty("by").GetString());
        using var op = await api.OperatorAsync(subdistrictId);
        var queue = await op.GetFromJsonAsync<JsonElement>("/api/v1/operator/issues");
        Assert.Contains(queue.EnumerateArray(), i => i.GetProperty("id").GetString() == id);
        foreach (var to in new[] { "dispatched", "on_site", "resolved" })
        {
            var moved = await op.PostAsJsonAsync($"/api/v1/issues/{id}/transitions", new { to, note = to == "resolved" ? "Cover replaced" : null });
            Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        }

        var request = Assert.Single((await JsonAsync(await partner.GetAsync($"{Base}/requests/{id}.json"), 200)).EnumerateArray());
        Assert.Equal("closed", request.GetProperty("status").GetString());
        Assert.Equal("resolved: Cover replaced", request.GetProperty("status_notes").GetString());
        Assert.DoesNotContain(accountId, request.GetRawText());
        var closed = await Eventually.ReadAsync(
            async () => await JsonAsync(await partner.GetAsync($"{Base}/requests.json?status=closed&service_code=manhole_cover"), 200),
            list => list.EnumerateArray().Any(r => r.GetProperty("service_request_id").GetString() == id));
        Assert.DoesNotContain(accountId, closed.GetRawText());

        using var rider = await api.RiderAsync($"meituan:{accountId}");
        var points = await Eventually.ReadAsync(() => rider.GetFromJsonAsync<JsonElement>("/api/v1/riders/me/points"),
            p => p.GetProperty("balance").GetInt32() == 2);
        var entry = Assert.Single(points.GetProperty("entries").EnumerateArray());
        Assert.Equal(id, entry.GetProperty("ref").GetString());

        // A repeated resolve (a retried operator call) pays nothing more.
        Assert.Equal(HttpStatusCode.OK, (await op.PostAsJsonAsync($"/api/v1/issues/{id}/transitions", new { to = "resolved" })).StatusCode);
        await Task.Delay(500);
        Assert.Equal(2, (await rider.GetFromJsonAsync<JsonElement>("/api/v1/riders/me/points")).GetProperty("balance").GetInt32());
    }

    [Fact]
    public async Task ASecondReportWithin50MetresIsLinkedAndAnswersTheFirstRequest()
    {
        var (_, key) = await IssueKeyAsync(api, "eleme");
        var (lat, lon) = FreshSpot();
        using var partner = api.Anonymous();
        var first = await PostedIdAsync(await partner.PostAsync($"{Base}/requests.json", Request(key, "waterlogging", lat, lon, ("account_id", "a1"))));

        var second = await JsonAsync(await partner.PostAsync($"{Base}/requests.json",
            Request(key, "waterlogging", lat + 0.0002, lon, ("account_id", "a2"))), 200);
        var receipt = Assert.Single(second.EnumerateArray());
        Assert.Equal(first, receipt.GetProperty("service_request_id").GetString());
        Assert.Contains(first, receipt.GetProperty("service_notice").GetString());
        Assert.Equal("a2", receipt.GetProperty("account_id").GetString());
    }

    [Fact]
    public async Task AReportMadeInOurAppIsListedWithoutItsDescriptionPhotoOrReporter()
    {
        var riderId = $"rider-{Guid.NewGuid():N}";
        using var rider = await api.RiderAsync(riderId);
        var (lat, lon) = FreshSpot();
        var created = await rider.PostAsync("/api/v1/issues", Issues.IssuesApiTests.Report("pothole", lat, lon, "private words", Issues.TestPhotos.JpegWithExif(), "a.jpg"));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        using var anyone = api.Anonymous();
        var request = Assert.Single((await JsonAsync(await anyone.GetAsync($"{Base}/requests/{id}.json"), 200)).EnumerateArray());
        Assert.Equal(JsonValueKind.Null, request.GetProperty("description").ValueKind);
        Assert.Equal(JsonValueKind.Null, request.GetProperty("media_url").ValueKind);
        Assert.DoesNotContain(riderId, request.GetRawText());
        Assert.Equal(404, (int)(await anyone.GetAsync($"{Base}/requests/{id}/media")).StatusCode);
    }
}
