using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using FriendlyChaoyang.Api.Auth;
using FriendlyChaoyang.Api.Tests.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FriendlyChaoyang.Api.Tests.Admin;

/// <summary>
/// No partner route exists yet (Open311 and port feeds come later), so these tests map a probe that requires the partner
/// policy on an API instance of their own, exactly as those routes will.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class PartnerKeyTests(ApiFixture api)
{
    private const string Probe = "/api/v1/partners/probe";

    [Fact]
    public async Task AnIssuedKeyOpensPartnerRoutesUntilItIsRevoked()
    {
        await using var own = await OwnApi.StartAsync(api, [], MapProbe);
        using var admin = own.Client(token: await api.TokenAsync($"admin-{Guid.NewGuid():N}", "admin"));
        var (id, key) = await IssueAsync(admin);

        var answer = await ProbeAsync(own, key);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var partner = await answer.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(id, partner.GetProperty("subject").GetString());
        Assert.Equal("eleme", partner.GetProperty("platform").GetString());

        await ProblemAssert.IsProblemAsync(await ProbeAsync(own, key: null), HttpStatusCode.Unauthorized);
        await ProblemAssert.IsProblemAsync(await ProbeAsync(own, key[..^2] + (key[^2..] == "AA" ? "BB" : "AA")), HttpStatusCode.Unauthorized);
        using var rider = own.Client(token: await api.TokenAsync($"rider-{Guid.NewGuid():N}", "rider"));
        await ProblemAssert.IsProblemAsync(await rider.GetAsync(Probe), HttpStatusCode.Unauthorized);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/admin/api-keys/{id}")).StatusCode);
        await ProblemAssert.IsProblemAsync(await ProbeAsync(own, key), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AKeyRevokedThroughOneApiInstanceIsRefusedByAnotherWithinSeconds()
    {
        var settings = new Dictionary<string, string?> { ["Auth:ApiKeyCacheTtl"] = "00:00:01" };
        await using var first = await OwnApi.StartAsync(api, settings, MapProbe);
        await using var second = await OwnApi.StartAsync(api, settings, MapProbe);
        using var admin = first.Client(token: await api.TokenAsync($"admin-{Guid.NewGuid():N}", "admin"));
        var (id, key) = await IssueAsync(admin);
        Assert.Equal(HttpStatusCode.OK, (await ProbeAsync(second, key)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/admin/api-keys/{id}")).StatusCode);

        var deadline = DateTimeOffset.UtcNow.AddSeconds(5);
        while ((await ProbeAsync(second, key)).StatusCode == HttpStatusCode.OK)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "the other instance still accepts the revoked key after 5 s");
            await Task.Delay(100);
        }
        await ProblemAssert.IsProblemAsync(await ProbeAsync(second, key), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task PartnerRequestsAreLimitedPerKey()
    {
        var settings = new Dictionary<string, string?> { ["RateLimits:Partner:PermitLimit"] = "3", ["RateLimits:Partner:Window"] = "00:10:00" };
        await using var own = await OwnApi.StartAsync(api, settings, MapProbe);
        using var admin = own.Client(token: await api.TokenAsync($"admin-{Guid.NewGuid():N}", "admin"));
        var (_, busy) = await IssueAsync(admin);
        var (_, quiet) = await IssueAsync(admin);
        // The limiter knows keys from the validator's cache, which the first authenticated request fills.
        await ProbeAsync(own, busy);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await ProbeAsync(own, busy)).StatusCode);
        }

        await ProblemAssert.IsProblemAsync(await ProbeAsync(own, busy), HttpStatusCode.TooManyRequests);
        Assert.Equal(HttpStatusCode.OK, (await ProbeAsync(own, quiet)).StatusCode);
    }

    private static void MapProbe(WebApplication app) =>
        app.MapGet(Probe, (ClaimsPrincipal user) => TypedResults.Ok(new { subject = user.Subject(), platform = user.FindFirstValue(Claims.Platform) }))
            .RequireAuthorization(Policies.Partner);

    private static async Task<(string Id, string Key)> IssueAsync(HttpClient admin)
    {
        var created = await admin.PostAsJsonAsync("/api/v1/admin/api-keys", new { name = "饿了么 Ele.me", platform = "eleme" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("id").GetString()!, body.GetProperty("key").GetString()!);
    }

    private static async Task<HttpResponseMessage> ProbeAsync(OwnApi own, string? key)
    {
        using var client = own.Client();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add(ApiKeyValidator.Header, key);
        }
        return await client.GetAsync(Probe);
    }
}
