using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;

namespace FriendlyChaoyang.Api.Tests.Issues;

/// <summary>Photos live in PostgreSQL, content-addressed, so every API instance serves every photo.</summary>
[Collection(ApiCollection.Name)]
public sealed class PhotoStoreTests(ApiFixture fixture)
{
    [Fact]
    public async Task APhotoUploadedThroughOneApiInstanceIsServedByAnother()
    {
        var riderId = $"rider-{Guid.NewGuid():N}";
        var token = await fixture.TokenAsync(riderId, "rider");
        await using var secondApi = await fixture.StartApiAsync();
        using var first = fixture.CreateClient();
        using var second = secondApi.GetTestServer().CreateClient();
        first.DefaultRequestHeaders.Authorization = second.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var (lat, lon) = IssuesApiTests.FreshSpot();

        var created = await first.PostAsync("/api/v1/issues", IssuesApiTests.Report("pothole", lat, lon, "x", UniqueJpeg(), "a.jpg"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        var served = await second.GetAsync($"/api/v1/issues/{id}/photo");
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("image/jpeg", served.Content.Headers.ContentType!.MediaType);
        var bytes = await served.Content.ReadAsByteArrayAsync();
        Assert.False(TestPhotos.Contains(bytes, TestPhotos.GpsMarker));
        Assert.Equal(bytes, await first.GetByteArrayAsync($"/api/v1/issues/{id}/photo"));
    }

    [Fact]
    public async Task TheSamePhotoInTwoReportsIsStoredOnceUnderItsSha256()
    {
        using var rider = await fixture.RiderAsync();
        using var other = await fixture.RiderAsync();
        var photo = UniqueJpeg();
        var before = await fixture.StoredPhotoCountAsync();
        var (lat1, lon1) = IssuesApiTests.FreshSpot();
        var (lat2, lon2) = IssuesApiTests.FreshSpot();

        var a = await rider.PostAsync("/api/v1/issues", IssuesApiTests.Report("pothole", lat1, lon1, "one", photo, "a.jpg"));
        var b = await other.PostAsync("/api/v1/issues", IssuesApiTests.Report("fallen_tree", lat2, lon2, "two", photo, "b.jpg"));

        Assert.Equal(HttpStatusCode.Created, a.StatusCode);
        Assert.Equal(HttpStatusCode.Created, b.StatusCode);
        Assert.Equal(before + 1, await fixture.StoredPhotoCountAsync());
        var idA = (await a.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var idB = (await b.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var servedA = await rider.GetByteArrayAsync($"/api/v1/issues/{idA}/photo");
        Assert.Equal(servedA, await other.GetByteArrayAsync($"/api/v1/issues/{idB}/photo"));
        var hash = Convert.ToHexStringLower(SHA256.HashData(servedA));
        Assert.Equal(servedA.Length, await fixture.Cluster.Database.ScalarAsync<int>(
            $"SELECT size_bytes FROM photos WHERE sha256 = '{hash}' AND content_type = 'image/jpeg'"));
    }

    [Fact]
    public async Task AReportWhosePhotoCannotBeStoredGets503WithRetryAfterAndCreatesNoIssue()
    {
        using var rider = await fixture.RiderAsync();
        var (lat, lon) = IssuesApiTests.FreshSpot();
        var database = fixture.Cluster.Database;

        HttpResponseMessage response;
        await database.ScalarAsync<object?>("ALTER TABLE photos RENAME TO photos_unreachable");
        try
        {
            response = await rider.PostAsync("/api/v1/issues", IssuesApiTests.Report("pothole", lat, lon, "x", UniqueJpeg(), "a.jpg"));
        }
        finally
        {
            await database.ScalarAsync<object?>("ALTER TABLE photos_unreachable RENAME TO photos");
        }

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.True(response.Headers.RetryAfter is not null, "no Retry-After");
        var notifications = await rider.GetFromJsonAsync<JsonElement>("/api/v1/riders/me/notifications");
        Assert.Equal(0, notifications.GetArrayLength());
    }

    /// <summary>A JPEG no other test uploads, so its row is new.</summary>
    public static byte[] UniqueJpeg() => TestPhotos.JpegWithExif([.. Guid.NewGuid().ToByteArray().Select(b => (byte)(b & 0x7F))]);
}
