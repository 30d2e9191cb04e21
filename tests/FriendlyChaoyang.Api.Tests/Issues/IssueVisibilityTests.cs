using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static FriendlyChaoyang.Api.Tests.Issues.IssuesApiTests;

namespace FriendlyChaoyang.Api.Tests.Issues;

/// <summary>Who reads what of an issue: everyone with a token reads it, only its reporters and its operators in full.</summary>
[Collection(ApiCollection.Name)]
public sealed class IssueVisibilityTests(ApiFixture fixture)
{
    private const string Description = "pothole outside gate 3, I live upstairs";

    public static TheoryData<string, bool> Viewers() => new()
    {
        { "reporter", true },
        { "co-reporter", true },
        { "other rider", false },
        { "operator of the subdistrict", true },
        { "operator of another subdistrict", false },
        { "admin", true },
    };

    [Theory]
    [MemberData(nameof(Viewers))]
    public async Task AnIssueAndItsPhotoAreShownInFullOnlyToItsReportersItsOperatorsAndAdmins(string viewer, bool seesInFull)
    {
        var (reporterId, coReporterId) = ($"rider-{Guid.NewGuid():N}", $"rider-{Guid.NewGuid():N}");
        using var reporter = await fixture.RiderAsync(reporterId);
        using var coReporter = await fixture.RiderAsync(coReporterId);
        var (lat, lon) = FreshSpot();
        var receipt = await ReportAsync(reporter, Report("pothole", lat, lon, Description, TestPhotos.JpegWithExif(), "a.jpg"));
        var linked = await ReportAsync(coReporter, Report("pothole", lat + 0.0001, lon, "same hole", TestPhotos.PngWithText(), "b.png"));
        var id = receipt.GetProperty("id").GetString()!;
        var subdistrictId = receipt.GetProperty("subdistrictId").GetString()!;
        Assert.Equal(id, linked.GetProperty("duplicateOf").GetString());
        using var op = await fixture.OperatorAsync(subdistrictId);
        Assert.Equal(HttpStatusCode.OK, (await op.PostAsJsonAsync($"/api/v1/issues/{id}/transitions", new { to = "dispatched", note = "team 2" })).StatusCode);

        using var client = viewer switch
        {
            "reporter" => await fixture.RiderAsync(reporterId),
            "co-reporter" => await fixture.RiderAsync(coReporterId),
            "other rider" => await fixture.RiderAsync(),
            "operator of the subdistrict" => await fixture.OperatorAsync(subdistrictId),
            "operator of another subdistrict" => await fixture.OperatorAsync(subdistrictId == "jianwai" ? "shuangjing" : "jianwai"),
            _ => await fixture.ClientForAsync($"admin-{Guid.NewGuid():N}", "admin"),
        };
        var response = await client.GetAsync($"/api/v1/issues/{id}");
        var photo = await client.GetAsync($"/api/v1/issues/{id}/photo");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var issue = JsonDocument.Parse(text).RootElement;
        var history = issue.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal((id, "dispatched", 1), (issue.GetProperty("id").GetString(), issue.GetProperty("status").GetString(), issue.GetProperty("coReporters").GetInt32()));
        Assert.Equal(["submitted", "dispatched"], history.Select(h => h.GetProperty("status").GetString()!));
        Assert.Equal("team 2", history[1].GetProperty("note").GetString());
        if (seesInFull)
        {
            Assert.Equal(Description, issue.GetProperty("description").GetString());
            // A co-reporter sees the hazard but not who reported it first.
            Assert.Equal(viewer == "co-reporter" ? null : reporterId, history[0].GetProperty("by").GetString());
            Assert.Equal($"op-{subdistrictId}", history[1].GetProperty("by").GetString());
            Assert.Equal($"/api/v1/issues/{id}/photo", issue.GetProperty("photoUrl").GetString());
            Assert.Equal(HttpStatusCode.OK, photo.StatusCode);
            Assert.Equal("image/jpeg", photo.Content.Headers.ContentType!.MediaType);
        }
        else
        {
            Assert.Equal(JsonValueKind.Null, issue.GetProperty("description").ValueKind);
            Assert.Equal(JsonValueKind.Null, issue.GetProperty("photoUrl").ValueKind);
            Assert.All(history, h => Assert.Equal(JsonValueKind.Null, h.GetProperty("by").ValueKind));
            Assert.DoesNotContain(reporterId, text, StringComparison.Ordinal);
            Assert.DoesNotContain(coReporterId, text, StringComparison.Ordinal);
            Assert.DoesNotContain("gate 3", text, StringComparison.Ordinal);
            var problem = await ProblemAssert.IsProblemAsync(photo, HttpStatusCode.NotFound);
            Assert.Equal("Photo not found.", problem.GetProperty("title").GetString());
        }
    }

    [Fact]
    public async Task AskedThroughItsLinkedReportTheIssueShowsTheSameViewToTheSameReader()
    {
        using var reporter = await fixture.RiderAsync();
        var coReporterId = $"rider-{Guid.NewGuid():N}";
        using var coReporter = await fixture.RiderAsync(coReporterId);
        using var stranger = await fixture.RiderAsync();
        var (lat, lon) = FreshSpot();
        await ReportAsync(reporter, Report("fallen_tree", lat, lon, Description, TestPhotos.JpegWithExif(), "a.jpg"));
        var linkedId = (await ReportAsync(coReporter, Report("fallen_tree", lat, lon, "tree", TestPhotos.JpegWithExif(), "a.jpg"))).GetProperty("id").GetString()!;

        var ownView = await coReporter.GetFromJsonAsync<JsonElement>($"/api/v1/issues/{linkedId}");
        var strangersView = await stranger.GetFromJsonAsync<JsonElement>($"/api/v1/issues/{linkedId}");

        Assert.Equal(Description, ownView.GetProperty("description").GetString());
        Assert.Equal(HttpStatusCode.OK, (await coReporter.GetAsync($"/api/v1/issues/{linkedId}/photo")).StatusCode);
        Assert.Equal(JsonValueKind.Null, strangersView.GetProperty("description").ValueKind);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/issues/{linkedId}/photo")).StatusCode);
    }

    [Fact]
    public async Task TheOpenApiDocumentDeclaresWhatThePublicViewLeavesOutAsNullable()
    {
        var schemas = (await fixture.Anonymous().GetFromJsonAsync<JsonElement>("/openapi/v1.json")).GetProperty("components").GetProperty("schemas");

        foreach (var (schema, property) in new[] { ("IssueResponse", "description"), ("IssueResponse", "photoUrl"), ("IssueHistoryEntry", "by") })
        {
            var type = schemas.GetProperty(schema).GetProperty("properties").GetProperty(property).GetProperty("type");
            Assert.Contains("null", type.EnumerateArray().Select(t => t.GetString()));
        }
    }

    private static async Task<JsonElement> ReportAsync(HttpClient rider, MultipartFormDataContent report)
    {
        var response = await rider.PostAsync("/api/v1/issues", report);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
