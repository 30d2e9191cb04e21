using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FriendlyChaoyang.Api.Tests.Issues;
using FriendlyChaoyang.Api.Tests.Notifications;
using FriendlyChaoyang.Testing;

namespace FriendlyChaoyang.Api.Tests.Escalation;

/// <summary>The test cluster gives streetlight_out a 2 s response target and a 4 s resolve target.</summary>
[Collection(ApiCollection.Name)]
public sealed class EscalationApiTests(ApiFixture fixture)
{
    [Fact]
    public async Task AnOverdueReportAlertsItsSubdistrictsOperatorsInTheListAndLiveOnTheStreamButNoOtherSubdistrict()
    {
        var (id, subdistrict, reportedAt) = await ReportAsync();
        using var op = await fixture.OperatorAsync(subdistrict);
        using var other = await fixture.OperatorAsync(subdistrict == "jianwai" ? "chaowai" : "jianwai");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        var before = await op.GetFromJsonAsync<JsonElement>("/api/v1/operator/notifications", timeout.Token);
        var lastSeen = before.EnumerateArray().Select(a => a.GetProperty("id").GetInt64()).DefaultIfEmpty(0).Max();

        using var stream = await NotificationsApiTests.OpenStreamAtAsync(op, "/api/v1/operator/notifications/stream", lastSeen, timeout.Token);
        var pushed = await NextAlertForAsync(stream, id, timeout.Token);
        var listed = await Eventually.ReadAsync(() => op.GetFromJsonAsync<JsonElement>($"/api/v1/operator/notifications?after={lastSeen}"),
            l => l.EnumerateArray().Any(a => a.GetProperty("kind").GetString() == "overdue_resolve" && a.GetProperty("issueId").GetString() == id));
        var issue = await op.GetFromJsonAsync<JsonElement>($"/api/v1/issues/{id}");

        Assert.Equal("overdue_response", pushed.Data.GetProperty("kind").GetString());
        Assert.Equal(pushed.Id, listed.EnumerateArray().Single(a => a.GetProperty("kind").GetString() == "overdue_response"
            && a.GetProperty("issueId").GetString() == id).GetProperty("id").GetInt64());
        Assert.Equal(reportedAt + ClusterFixture.ShortResolveTarget, issue.GetProperty("dueResolveAt").GetDateTimeOffset());
        var theirs = await other.GetFromJsonAsync<JsonElement>("/api/v1/operator/notifications");
        Assert.DoesNotContain(theirs.EnumerateArray(), a => a.GetProperty("issueId").GetString() == id);
    }

    [Fact]
    public async Task TheAdminsOverdueQueueListsAnOpenIssuePastItsResolveTargetUntilItIsResolved()
    {
        var (id, subdistrict, reportedAt) = await ReportAsync();
        using var admin = await fixture.ClientForAsync($"admin-{Guid.NewGuid():N}", "admin");
        using var op = await fixture.OperatorAsync(subdistrict);

        var overdue = await Eventually.ReadAsync(() => admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/overdue"),
            l => l.EnumerateArray().Any(i => i.GetProperty("id").GetString() == id));
        var entry = overdue.EnumerateArray().Single(i => i.GetProperty("id").GetString() == id);
        Assert.Equal(subdistrict, entry.GetProperty("subdistrictId").GetString());
        Assert.Equal(reportedAt + ClusterFixture.ShortResolveTarget, entry.GetProperty("dueResolveAt").GetDateTimeOffset());
        var dues = overdue.EnumerateArray().Select(i => i.GetProperty("dueResolveAt").GetDateTimeOffset()).ToList();
        Assert.Equal(dues.Order(), dues);

        foreach (var to in new[] { "dispatched", "on_site", "resolved" })
        {
            Assert.Equal(HttpStatusCode.OK, (await op.PostAsJsonAsync($"/api/v1/issues/{id}/transitions", new { to })).StatusCode);
        }
        var after = await Eventually.ReadAsync(() => admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/overdue"),
            l => l.EnumerateArray().All(i => i.GetProperty("id").GetString() != id));
        Assert.DoesNotContain(after.EnumerateArray(), i => i.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task ANegativeAfterOnTheOperatorsAlertsIsRefusedNamingTheField()
    {
        using var op = await fixture.OperatorAsync("jianwai");
        await ProblemAssert.IsValidationProblemAsync(await op.GetAsync("/api/v1/operator/notifications?after=-1"), "after");
    }

    private async Task<(string Id, string SubdistrictId, DateTimeOffset ReportedAt)> ReportAsync()
    {
        using var rider = await fixture.RiderAsync();
        var (lat, lon) = IssuesApiTests.FreshSpot();
        var response = await rider.PostAsync("/api/v1/issues",
            IssuesApiTests.Report(ClusterFixture.ShortResponseCategory, lat, lon, "dark street", TestPhotos.JpegWithExif(), "a.jpg"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var receipt = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (receipt.GetProperty("id").GetString()!, receipt.GetProperty("subdistrictId").GetString()!,
            receipt.GetProperty("reportedAt").GetDateTimeOffset());
    }

    private static async Task<(long Id, JsonElement Data)> NextAlertForAsync(
        NotificationsApiTests.SseReader stream, string issueId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var next = await stream.NextNotificationAsync(cancellationToken);
            if (next.Data.GetProperty("issueId").GetString() == issueId)
            {
                return next;
            }
        }
    }
}
