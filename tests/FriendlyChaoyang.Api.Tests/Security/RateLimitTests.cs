using System.Net;
using System.Net.Http.Json;
using FriendlyChaoyang.Api.Security;
using Microsoft.AspNetCore.Http;

namespace FriendlyChaoyang.Api.Tests.Security;

/// <summary>Each test runs its own API instance with low limits, so the shared app's tests never meet a limit.</summary>
[Collection(ApiCollection.Name)]
public sealed class RateLimitTests(ApiFixture api)
{
    private static readonly object Profile = new { displayName = "Li", platform = "meituan", kind = "delivery" };

    [Fact]
    public async Task ARidersWritesBeyondTheLimitAreTooManyRequestsProblemsWithRetryAfterWhileOtherRidersWriteOn()
    {
        await using var own = await OwnApi.StartAsync(api, Limit("Writes", 3));
        using var rider = own.Client(token: await api.TokenAsync($"rider-{Guid.NewGuid():N}", "rider"));
        using var other = own.Client(token: await api.TokenAsync($"rider-{Guid.NewGuid():N}", "rider"));

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await rider.PutAsJsonAsync("/api/v1/riders/me", Profile)).StatusCode);
        }
        var refused = await rider.PutAsJsonAsync("/api/v1/riders/me", Profile);

        var problem = await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.Contains("writes per user", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        Assert.Equal(HttpStatusCode.OK, (await other.PutAsJsonAsync("/api/v1/riders/me", Profile)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await rider.GetAsync("/api/v1/riders/me")).StatusCode); // reads count apart
    }

    [Fact]
    public async Task RequestsWithoutATokenAreLimitedPerClientAddressButHealthProbesNever()
    {
        await using var own = await OwnApi.StartAsync(api, Limit("Anonymous", 3));
        using var first = own.Client("198.51.100.7");
        using var second = own.Client("198.51.100.8");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/api/v1/issue-categories")).StatusCode);
        }

        await ProblemAssert.IsProblemAsync(await first.GetAsync("/api/v1/rewards"), HttpStatusCode.TooManyRequests);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/api/v1/rewards")).StatusCode);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/healthz")).StatusCode);
        }
    }

    [Fact]
    public async Task TheDevTokenEndpointIsLimitedPerClientAddress()
    {
        await using var own = await OwnApi.StartAsync(api, Limit("DevTokens", 2));
        using var client = own.Client("198.51.100.20");
        var request = new { subject = "rider-x", role = "rider" };

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/v1/dev/tokens", request)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/v1/dev/tokens", request)).StatusCode);
        await ProblemAssert.IsProblemAsync(await client.PostAsJsonAsync("/api/v1/dev/tokens", request), HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task ABurstOfWrongVoucherCodesFromOneOperatorIsCutOffWithTooManyRequests()
    {
        await using var own = await OwnApi.StartAsync(api, Limit("VoucherConfirms", 5));
        using var guesser = own.Client(token: await api.TokenAsync($"op-{Guid.NewGuid():N}", "operator", "jianwai"));
        using var colleague = own.Client(token: await api.TokenAsync($"op-{Guid.NewGuid():N}", "operator", "jianwai"));

        var guesses = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => guesser.PostAsync($"/api/v1/redemptions/GUESS{i:0000000}/confirm", null)));

        Assert.Equal(5, guesses.Count(r => r.StatusCode == HttpStatusCode.NotFound));
        Assert.Equal(35, guesses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.All(guesses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests), r => Assert.NotNull(r.Headers.RetryAfter));
        Assert.Equal(HttpStatusCode.NotFound, (await colleague.PostAsync("/api/v1/redemptions/GUESS0000000/confirm", null)).StatusCode);
    }

    [Theory]
    [InlineData("203.0.113.9", "203.0.113.9")]
    [InlineData("::ffff:203.0.113.9", "203.0.113.9")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    public void AClientAddressIsItsIPv4AddressOrItsIPv6Slash64(string remote, string counted)
    {
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = IPAddress.Parse(remote);

        Assert.Equal(counted, RateLimits.ClientAddress(http));
    }

    private static Dictionary<string, string?> Limit(string policy, int permits) => new()
    {
        [$"RateLimits:{policy}:PermitLimit"] = permits.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [$"RateLimits:{policy}:Window"] = "00:10:00",
    };
}
