using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using static FriendlyChaoyang.Api.Tests.Issues.IssuesApiTests;

namespace FriendlyChaoyang.Api.Tests.Issues;

[Collection(ApiCollection.Name)]
public sealed class ReportIdempotencyTests(ApiFixture fixture)
{
    [Fact]
    public async Task RepeatingAReportWithTheSameIdempotencyKeyAndBodyReturnsTheFirstReceiptAndCreatesNothing()
    {
        using var rider = await fixture.RiderAsync();
        var (lat, lon) = FreshSpot();
        var photo = TestPhotos.PngWithText();

        var first = await rider.SendAsync(WithKey(Report("pothole", lat, lon, "deep pothole", photo, "p.png"), "key-1"));
        var photos = await fixture.StoredPhotoCountAsync();
        var second = await rider.SendAsync(WithKey(Report("pothole", lat, lon, "deep pothole", photo, "again.png"), "key-1"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(photos, await fixture.StoredPhotoCountAsync());
        await AssertOneSubmittedNotificationAsync(rider);
    }

    [Fact]
    public async Task TheSameIdempotencyKeyWithADifferentReportIs422AndChangesNothing()
    {
        using var rider = await fixture.RiderAsync();
        var (lat, lon) = FreshSpot();
        var jpeg = TestPhotos.JpegWithExif();
        // The same image with other metadata: it would store the same stripped photo, but the client sent another request.
        var retagged = Retagged(jpeg);
        var first = await rider.SendAsync(WithKey(Report("pothole", lat, lon, "deep pothole", jpeg, "a.jpg"), "key-1"));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var id = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var photos = await fixture.StoredPhotoCountAsync();

        var changes = new (string What, MultipartFormDataContent Body)[]
        {
            ("description", Report("pothole", lat, lon, "deep pothole, two lanes", jpeg, "a.jpg")),
            ("category", Report("road_collapse", lat, lon, "deep pothole", jpeg, "a.jpg")),
            ("lat", Report("pothole", lat + 0.0001, lon, "deep pothole", jpeg, "a.jpg")),
            ("photo", Report("pothole", lat, lon, "deep pothole", TestPhotos.JpegWithExif([0x42, 0x43, 0x44]), "a.jpg")),
            ("photo metadata", Report("pothole", lat, lon, "deep pothole", retagged, "a.jpg")),
        };
        foreach (var (what, body) in changes)
        {
            var replay = await rider.SendAsync(WithKey(body, "key-1"));
            var problem = await ProblemAssert.IsProblemAsync(replay, HttpStatusCode.UnprocessableEntity);
            Assert.True(problem.GetProperty("title").GetString()!.StartsWith("Idempotency-Key reused with another request", StringComparison.Ordinal), what);
        }

        Assert.Equal(photos, await fixture.StoredPhotoCountAsync());
        var issue = await rider.GetFromJsonAsync<JsonElement>($"/api/v1/issues/{id}");
        Assert.Equal(("pothole", "deep pothole", lat), (issue.GetProperty("category").GetString(), issue.GetProperty("description").GetString(), issue.GetProperty("lat").GetDouble()));
        await AssertOneSubmittedNotificationAsync(rider);
        // The key still answers its own report.
        var again = await rider.SendAsync(WithKey(Report("pothole", lat, lon, "deep pothole", jpeg, "a.jpg"), "key-1"));
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(id, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task FortyConcurrentRepeatsOfOneKeyedReportFileOneIssueAndAllGetItsReceipt()
    {
        using var rider = await fixture.RiderAsync();
        var (lat, lon) = FreshSpot();
        var photo = TestPhotos.WebPWithExif();

        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ =>
            rider.SendAsync(WithKey(Report("fallen_tree", lat, lon, "tree across the lane", photo, "t.webp"), "one-tree"))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var receipts = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        Assert.Single(receipts.Distinct());
        var receipt = JsonDocument.Parse(receipts[0]).RootElement;
        Assert.Equal(JsonValueKind.Null, receipt.GetProperty("duplicateOf").ValueKind);
        using var op = await fixture.OperatorAsync(receipt.GetProperty("subdistrictId").GetString()!);
        var queue = await op.GetFromJsonAsync<JsonElement>("/api/v1/operator/issues");
        Assert.Single(queue.EnumerateArray(), i => i.GetProperty("lat").GetDouble() == lat && i.GetProperty("lon").GetDouble() == lon);
        await AssertOneSubmittedNotificationAsync(rider);
    }

    [Fact]
    public async Task TheOpenApiDocumentDeclaresThe422OfReportIssueAsProblemDetails()
    {
        var operation = (await fixture.Anonymous().GetFromJsonAsync<JsonElement>("/openapi/v1.json"))
            .GetProperty("paths").GetProperty("/api/v1/issues").GetProperty("post");

        var schema = operation.GetProperty("responses").GetProperty("422").GetProperty("content").GetProperty("application/problem+json").GetProperty("schema");
        Assert.Equal("#/components/schemas/ProblemDetails", schema.GetProperty("$ref").GetString());
    }

    public static HttpRequestMessage WithKey(HttpContent content, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/issues") { Content = content };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    /// <summary>The JPEG with one digit of its planted GPS tag changed.</summary>
    private static byte[] Retagged(byte[] jpeg)
    {
        var copy = jpeg.ToArray();
        var at = copy.AsSpan().IndexOf(Encoding.ASCII.GetBytes(TestPhotos.GpsMarker));
        copy[at + "GPSLatitude=39.90".Length] = (byte)'9';
        return copy;
    }

    /// <summary>
    /// One issue was filed for the rider: exactly one "submitted" notification, however often it asked (a filing delivers
    /// its notification before it answers, so every answer received means every notification was sent).
    /// </summary>
    private static async Task AssertOneSubmittedNotificationAsync(HttpClient rider)
    {
        var notifications = await rider.GetFromJsonAsync<JsonElement>("/api/v1/riders/me/notifications");
        Assert.Equal(["issue_submitted"], notifications.EnumerateArray().Select(n => n.GetProperty("kind").GetString()!).ToArray());
    }
}
