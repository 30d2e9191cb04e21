using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FriendlyChaoyang.Api.Security;
using FriendlyChaoyang.Api.Tests.Issues;

namespace FriendlyChaoyang.Api.Tests.Security;

[Collection(ApiCollection.Name)]
public sealed class SecurityHeadersTests(ApiFixture api)
{
    [Theory]
    [InlineData("/api/v1/issue-categories", HttpStatusCode.OK)]
    [InlineData("/api/v1/no-such-thing", HttpStatusCode.NotFound)]
    [InlineData("/api/v1/riders/me", HttpStatusCode.Unauthorized)]
    [InlineData("/api/v1/stations/%20", HttpStatusCode.BadRequest)]
    [InlineData("/openapi/v1.json", HttpStatusCode.OK)]
    public async Task ApiAnswersAndErrorsCarryTheStrictSecurityHeaders(string path, HttpStatusCode status)
    {
        var response = await api.Anonymous().GetAsync(path);

        Assert.Equal(status, response.StatusCode);
        AssertSecurityHeaders(response, SecurityHeaders.ApiPolicy);
    }

    [Fact]
    public async Task APhotoIsServedWithNosniffAndTheStrictPolicy()
    {
        using var rider = await api.RiderAsync();
        var (lat, lon) = IssuesApiTests.FreshSpot();
        var created = await rider.PostAsync("/api/v1/issues", IssuesApiTests.Report("pothole", lat, lon, "headers", TestPhotos.JpegWithExif(), "a.jpg"));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        var photo = await rider.GetAsync($"/api/v1/issues/{id}/photo");

        Assert.Equal(HttpStatusCode.OK, photo.StatusCode);
        Assert.Equal("image/jpeg", photo.Content.Headers.ContentType!.MediaType);
        AssertSecurityHeaders(photo, SecurityHeaders.ApiPolicy);
    }

    [Fact]
    public async Task TheApiReferencePageMayRunItsScriptsButNotBeFramed()
    {
        var response = await api.Anonymous().GetAsync("/docs/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        AssertSecurityHeaders(response, SecurityHeaders.PagePolicy);
    }

    private static void AssertSecurityHeaders(HttpResponseMessage response, string contentSecurityPolicy)
    {
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal(contentSecurityPolicy, Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
    }
}
