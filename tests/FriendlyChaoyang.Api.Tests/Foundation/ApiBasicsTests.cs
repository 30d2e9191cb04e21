using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace FriendlyChaoyang.Api.Tests.Foundation;

[Collection(ApiCollection.Name)]
public sealed class ApiBasicsTests(ApiFixture api)
{
    [Fact]
    public async Task ReadyzAnswersOkWhenTheClusterAndDatabaseAnswer()
    {
        var client = api.Anonymous();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task AnUnknownRouteIsANotFoundProblem()
    {
        await ProblemAssert.IsProblemAsync(await api.Anonymous().GetAsync("/api/v1/no-such-thing"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ARiderRouteWithoutATokenIsAnUnauthorizedProblem()
    {
        var response = await api.Anonymous().GetAsync("/api/v1/riders/me");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ATokenSignedWithAnotherKeyIsRejected()
    {
        var client = await api.RiderAsync();
        var token = client.DefaultRequestHeaders.Authorization!.Parameter!;
        var forged = token[..^4] + (token[^4..] == "AAAA" ? "BBBB" : "AAAA");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", forged);

        await ProblemAssert.IsProblemAsync(await client.GetAsync("/api/v1/riders/me"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AnOperatorCannotActAsARider()
    {
        var client = await api.ClientForAsync("op-1", "operator", "jianwai");

        var response = await client.PostAsync("/api/v1/stations/cy-jianwai-001/check-ins", null);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task MalformedJsonIsABadRequestProblemThatSaysWhat()
    {
        var client = await api.RiderAsync();

        var response = await client.PostAsync("/api/v1/stations/cy-jianwai-001/check-ins",
            new StringContent("{\"charging\": tru", Encoding.UTF8, "application/json"));

        var body = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("JSON", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"subject\":\"x\",\"role\":\"superuser\"}", "role")]
    [InlineData("{\"subject\":\"\",\"role\":\"rider\"}", "subject")]
    [InlineData("{\"subject\":\"op\",\"role\":\"operator\"}", "subdistrict")]
    [InlineData("{\"subject\":\"op\",\"role\":\"operator\",\"subdistrict\":\"atlantis\"}", "subdistrict")]
    [InlineData("{\"subject\":\"m\",\"role\":\"manager\"}", "station")]
    [InlineData("{\"subject\":\"m\",\"role\":\"manager\",\"station\":\"cy-nowhere-999\"}", "station")]
    [InlineData("{\"subject\":\"m\",\"role\":\"manager\",\"station\":\" \"}", "station")]
    [InlineData("{\"subject\":\"r\",\"role\":\"rider\",\"station\":\"cy-jianwai-001\"}", "station")]
    public async Task TheDevTokenEndpointValidatesItsInput(string json, string field)
    {
        var response = await api.Anonymous().PostAsync("/api/v1/dev/tokens", new StringContent(json, Encoding.UTF8, "application/json"));

        await ProblemAssert.IsValidationProblemAsync(response, field);
    }
}
