using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FriendlyChaoyang.Testing;

namespace FriendlyChaoyang.Api.Tests.Issues;

[Collection(ApiCollection.Name)]
public sealed class IssuesApiTests(ApiFixture fixture)
{
    // Near the centre of Shuangjing; each test offsets its own point so reports never count as duplicates of another test's.
    private const double BaseLat = 39.8935, BaseLon = 116.4612;
    private static int _spot;

    public static (double Lat, double Lon) FreshSpot()
    {
        var n = Interlocked.Increment(ref _spot);
        return (BaseLat + (n * 0.002), BaseLon + 0.2 + (n * 0.001)); // ~200 m apart, east of the other test classes
    }

    [Fact]
    public async Task ReportWithPhotoIsDispatchedResolvedAndPaysTheReporterTwoPointsWithFourNotifications()
    {
        var riderId = $"rider-{Guid.NewGuid():N}";
        using var rider = await fixture.RiderAsync(riderId);
        var (lat, lon) = FreshSpot();

        var created = await rider.PostAsync("/api/v1/issues", Report("road_collapse", lat, lon, "路面塌陷，小心", TestPhotos.JpegWithExif(), "IMG_0001.jpg"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var receipt = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = receipt.GetProperty("id").GetString()!;
        var subdistrictId = receipt.GetProperty("subdistrictId").GetString()!;
        Assert.Equal("submitted", receipt.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, receipt.GetProperty("duplicateOf").ValueKind);
        Assert.Equal($"/api/v1/issues/{id}", created.Headers.Location!.OriginalString);

        using var op = await fixture.OperatorAsync(subdistrictId);
        var queue = await op.GetFromJsonAsync<JsonElement>("/api/v1/operator/issues?status=open");
        Assert.Contains(queue.EnumerateArray(), i => i.GetProperty("id").GetString() == id);

        foreach (var to in new[] { "dispatched", "on_site", "resolved" })
        {
            var moved = await op.PostAsJsonAsync($"/api/v1/issues/{id}/transitions", new { to, note = $"-> {to}" });
            Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
            Assert.Equal(to, (await moved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        }

        var points = await Eventually.ReadAsync(() => rider.GetFromJsonAsync<JsonElement>("/api/v1/riders/me/points"),
            p => p.GetProperty("balance").GetInt32() == 2);
        var entry = Assert.Single(points.GetProperty("entries").EnumerateArray());
        Assert.Equal(2, entry.GetProperty("amount").GetInt32());
        Assert.Equal(id, entry.GetProperty("ref").GetString());
        var me = await rider.GetFromJsonAsync<JsonElement>("/api/v1/riders/me");
        Assert.Equal(2, me.GetProperty("points").GetProperty("balance").GetInt32());

        var notifications = await Eventually.ReadAsync(() => rider.GetFromJsonAsync<JsonElement>("/api/v1/riders/me/notifications"),
            n => n.GetArrayLength() >= 4);
        Assert.Equal(["issue_submitted", "issue_dispatched", "issue_on_site", "issue_resolved"],
            notifications.EnumerateArray().Select(n => n.GetProperty("kind").GetString()!).ToArray());
        Assert.All(notifications.EnumerateArray(), n => Assert.Equal(id, n.GetProperty("issueId").GetString()));

        var issue = await rider.GetFromJsonAsync<JsonElement>($"/api/v1/issues/{id}");
        Assert.Equal("resolved", issue.GetProperty("status").GetString());
        Assert.Equal(["submitted", "dispatched", "on_site", "resolved"],
            issue.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("status").GetString()!).ToArray());
        Assert.Equal($"op-{subdistrictId}", issue.GetProperty("history")[3].GetProperty("by").GetString());
        Assert.DoesNotContain(queue.EnumerateArray(), i => i.GetProperty("id").GetString() == id && i.GetProperty("status").GetString() == "resolved");

        var photo = await rider.GetAsync(new Uri(issue.GetProperty("photoUrl").GetString()!, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, photo.StatusCode);
        Assert.Equal("image/jpeg", photo.Content.Headers.ContentType!.MediaType);
        var bytes = await photo.Content.ReadAsByteArrayAsync();
        Assert.False(TestPhotos.Contains(bytes, "Exif"));
        Assert.False(TestPhotos.Contains(bytes, TestPhotos.GpsMarker));
        Assert.True(bytes.AsSpan().IndexOf(TestPhotos.ScanData) > 0);
    }

    [Fact]
    public async Task ASecondReportWithin50MetresIsLinkedToTheOpenIssueAndItsReporterFollowsIt()
    {
        using var first = await fixture.RiderAsync($"rider-{Guid.NewGuid():N}");
        var secondId = $"rider-{Guid.NewGuid():N}";
        using var second = await fixture.RiderAsync(secondId);
        var (lat, lon) = FreshSpot();

        var original = await (await first.PostAsync("/api/v1/issues", Report("fallen_tree", lat, lon, "tree down", TestPhotos.JpegWithExif(), "a.jpg")))
            .Content.ReadFromJsonAsync<JsonElement>();
        var linked = await second.PostAsync("/api/v1/issues", Report("fallen_tree", lat + 0.0002, lon, "tree!", TestPhotos.WebPWithExif(), "b.webp"));
        var linkedBody = await linked.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Created, linked.StatusCode);
        Assert.Equal(original.GetProperty("id").GetString(), linkedBody.GetProperty("duplicateOf").GetString());
        var issue = await second.GetFromJsonAsync<JsonElement>($"/api/v1/issues/{linkedBody.GetProperty("id").GetString()}");
        Assert.Equal(original.GetProperty("id").GetString(), issue.GetProperty("id").GetString());
        Assert.Equal(1, issue.GetProperty("coReporters").GetInt32());
        var notes = await Eventually.ReadAsync(() => second.GetFromJsonAsync<JsonElement>("/api/v1/riders/me/notifications"), n => n.GetArrayLength() >= 1);
        Assert.Equal("issue_linked", notes[0].GetProperty("kind").GetString());
    }

    [Fact]
    public async Task BadInputGets400NamingTheFieldAndStoresNothing()
    {
        var riderId = $"rider-{Guid.NewGuid():N}";
        using var rider = await fixture.RiderAsync(riderId);
        var (lat, lon) = FreshSpot();
        var jpeg = TestPhotos.JpegWithExif();
        var photos = await fixture.StoredPhotoCountAsync();
        var oversized = new byte[(8 * 1024 * 1024) + 1024];
        jpeg.CopyTo(oversized, 0);

        var cases = new (string Field, MultipartFormDataContent Body)[]
        {
            ("lat", Report("pothole", lat, lon, "x", jpeg, "a.jpg", latText: "north-ish")),
            ("lon", Report("pothole", lat, lon, "x", jpeg, "a.jpg", lonText: "1e400")),
            ("lat", Report("pothole", 31.2304, lon, "Shanghai", jpeg, "a.jpg")),
            ("lon", Report("pothole", lat, 121.4737, "Shanghai", jpeg, "a.jpg")),
            ("category", Report("volcano", lat, lon, "x", jpeg, "a.jpg")),
            ("description", Report("pothole", lat, lon, new string('坑', 501), jpeg, "a.jpg")),
            ("description", Report("pothole", lat, lon, "deep \u202Eelohtop", jpeg, "a.jpg")),
            ("photo", Report("pothole", lat, lon, "x", "this is not an image, just text"u8.ToArray(), "photo.jpg")),
            ("photo", Report("pothole", lat, lon, "x", oversized, "huge.jpg")),
            ("photo", Report("pothole", lat, lon, "x", null, null)),
        };
        foreach (var (field, body) in cases)
        {
            var response = await rider.PostAsync("/api/v1/issues", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"expected an error for '{field}': {problem}");
        }

        var notAForm = await rider.PostAsJsonAsync("/api/v1/issues", new { category = "pothole" });
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notAForm.StatusCode);
        Assert.Equal("application/problem+json", notAForm.Content.Headers.ContentType!.MediaType);

        var tooLarge = await rider.PostAsync("/api/v1/issues", Report("pothole", lat, lon, "x", new byte[10 * 1024 * 1024], "big.jpg"));
        Assert.True(tooLarge.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode.ToString());
        Assert.Equal("application/problem+json", tooLarge.Content.Headers.ContentType!.MediaType);

        Assert.Equal(photos, await fixture.StoredPhotoCountAsync());
        var notifications = await rider.GetFromJsonAsync<JsonElement>("/api/v1/riders/me/notifications");
        Assert.Equal(0, notifications.GetArrayLength());
    }

    [Fact]
    public async Task OnlyOperatorsOfTheIssuesSubdistrictMoveItAndOnlyAlongTheAllowedPath()
    {
        using var rider = await fixture.RiderAsync($"rider-{Guid.NewGuid():N}");
        var (lat, lon) = FreshSpot();
        var receipt = await (await rider.PostAsync("/api/v1/issues", Report("pothole", lat, lon, "x", TestPhotos.JpegWithExif(), "a.jpg")))
            .Content.ReadFromJsonAsync<JsonElement>();
        var id = receipt.GetProperty("id").GetString()!;
        var subdistrictId = receipt.GetProperty("subdistrictId").GetString()!;
        using var op = await fixture.OperatorAsync(subdistrictId);
        using var stranger = await fixture.OperatorAsync(subdistrictId == "jianwai" ? "shuangjing" : "jianwai");

        Assert.Equal(HttpStatusCode.Forbidden, (await rider.PostAsJsonAsync($"/api/v1/issues/{id}/transitions", new { to = "dispatched" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.PostAsJsonAsync($"/api/v1/issues/{id}/transitions", new { to = "dispatched" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await op.PostAsJsonAsync($"/api/v1/issues/{id}/transitions", new { to = "resolved" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await op.PostAsJsonAsync($"/api/v1/issues/{id}/transitions", new { to = "fixed" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await op.PostAsJsonAsync("/api/v1/issues/iss-nope/transitions", new { to = "dispatched" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await op.PostAsJsonAsync($"/api/v1/issues/{id}/transitions", new { to = "rejected", note = "duplicate photo" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await op.PostAsJsonAsync($"/api/v1/issues/{id}/transitions", new { to = "dispatched" })).StatusCode);

        var issue = await rider.GetFromJsonAsync<JsonElement>($"/api/v1/issues/{id}");
        Assert.Equal("rejected", issue.GetProperty("status").GetString());
        await Task.Delay(1500);
        var points = await rider.GetFromJsonAsync<JsonElement>("/api/v1/riders/me/points");
        Assert.Equal(0, points.GetProperty("balance").GetInt32());
    }

    [Fact]
    public async Task TheQueueAndTransitionsRefuseUnknownValuesNamingTheField()
    {
        using var op = await fixture.OperatorAsync("jianwai");

        await ProblemAssert.IsValidationProblemAsync(await op.GetAsync("/api/v1/operator/issues?status=resolved"), "status");
        await ProblemAssert.IsValidationProblemAsync(await op.PostAsJsonAsync("/api/v1/issues/iss-nope/transitions", new { note = "x" }), "to");
        await ProblemAssert.IsValidationProblemAsync(
            await op.PostAsJsonAsync("/api/v1/issues/iss-nope/transitions", new { to = "dispatched", note = new string('x', 501) }), "note");
        await ProblemAssert.IsValidationProblemAsync(
            await op.PostAsJsonAsync("/api/v1/issues/iss-nope/transitions", new { to = "dispatched", note = "on\u0000site" }), "note");
        Assert.Equal(HttpStatusCode.OK, (await op.GetAsync("/api/v1/operator/issues?status=on_site")).StatusCode);
    }

    public static MultipartFormDataContent Report(
        string category, double lat, double lon, string description, byte[]? photo, string? fileName,
        string? latText = null, string? lonText = null)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(category), "category" },
            { new StringContent(latText ?? lat.ToString(CultureInfo.InvariantCulture)), "lat" },
            { new StringContent(lonText ?? lon.ToString(CultureInfo.InvariantCulture)), "lon" },
            { new StringContent(description), "description" },
        };
        if (photo is not null)
        {
            var file = new ByteArrayContent(photo);
            file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            form.Add(file, "photo", fileName!);
        }
        return form;
    }
}
