using System.Net;

namespace FriendlyChaoyang.Api.Tests.Security;

[Collection(ApiCollection.Name)]
public sealed class RouteIdTests(ApiFixture api)
{
    [Theory]
    [InlineData("GET", "/api/v1/stations/%20", null, "id")]
    [InlineData("GET", "/api/v1/stations/%09", null, "id")]
    [InlineData("GET", "/api/v1/stations/cy-jianwai-001%0A", null, "id")]
    [InlineData("GET", "/api/v1/stations/a%01b", null, "id")]
    [InlineData("GET", "/api/v1/stations/%E2%80%AEcy-jianwai-001", null, "id")]
    [InlineData("GET", "/api/v1/issues/%20", "rider", "id")]
    [InlineData("GET", "/api/v1/issues/%20/photo", "rider", "id")]
    [InlineData("POST", "/api/v1/issues/%20/transitions", "operator", "id")]
    [InlineData("POST", "/api/v1/stations/%20/check-ins", "rider", "id")]
    [InlineData("POST", "/api/v1/stations/%09/check-out", "rider", "id")]
    [InlineData("POST", "/api/v1/redemptions/%20/confirm", "operator", "code")]
    [InlineData("DELETE", "/api/v1/redemptions/%20", "rider", "code")]
    [InlineData("DELETE", "/api/v1/admin/api-keys/%20", "admin", "id")]
    public async Task AMalformedIdInTheRouteIsAValidationProblemNamingTheParameter(string method, string path, string? role, string parameter)
    {
        using var client = await api.ClientAsAsync(role);

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await ProblemAssert.IsValidationProblemAsync(response, parameter);
    }

    [Fact]
    public async Task AnIdLongerThanTheLimitIsAValidationProblem()
    {
        var response = await api.Anonymous().GetAsync($"/api/v1/stations/{new string('a', 129)}");

        await ProblemAssert.IsValidationProblemAsync(response, "id");
    }

    [Fact]
    public async Task AWellFormedUnknownIdIsStillANotFound()
    {
        await ProblemAssert.IsProblemAsync(await api.Anonymous().GetAsync("/api/v1/stations/no-such-station"), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await api.Anonymous().GetAsync($"/api/v1/stations/{new string('a', 128)}"), HttpStatusCode.NotFound);
    }
}
