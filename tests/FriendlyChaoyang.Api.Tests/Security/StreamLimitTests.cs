using System.Net;

namespace FriendlyChaoyang.Api.Tests.Security;

[Collection(ApiCollection.Name)]
public sealed class StreamLimitTests(ApiFixture api)
{
    private const string Stream = "/api/v1/riders/me/notifications/stream";

    private static readonly Dictionary<string, string?> Caps = new()
    {
        ["RateLimits:StreamsPerUser"] = "2",
        ["RateLimits:StreamsTotal"] = "3",
    };

    [Fact]
    public async Task ARidersStreamBeyondTheCapIsRefusedUntilOneOfTheirsCloses()
    {
        await using var own = await OwnApi.StartAsync(api, Caps);
        using var rider = own.Client(token: await api.TokenAsync($"rider-{Guid.NewGuid():N}", "rider"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        using var first = await OpenAsync(rider, timeout.Token);
        using var second = await OpenAsync(rider, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);

        using var third = await OpenAsync(rider, timeout.Token);
        var problem = await ProblemAssert.IsProblemAsync(third, HttpStatusCode.TooManyRequests);
        Assert.Contains("2 notification streams", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.NotNull(third.Headers.RetryAfter);

        first.Dispose(); // the client goes away: its stream's lease is released when the server notices
        HttpResponseMessage again;
        while ((again = await OpenAsync(rider, timeout.Token)).StatusCode == HttpStatusCode.TooManyRequests)
        {
            again.Dispose();
            await Task.Delay(100, timeout.Token);
        }
        using (again)
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.Equal("text/event-stream", again.Content.Headers.ContentType!.MediaType);
        }
    }

    [Fact]
    public async Task StreamsBeyondTheInstanceWideCapAreRefusedWhoeverAsks()
    {
        await using var own = await OwnApi.StartAsync(api, Caps);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var riders = new List<HttpClient>();
        for (var i = 0; i < 4; i++)
        {
            riders.Add(own.Client(token: await api.TokenAsync($"rider-{Guid.NewGuid():N}", "rider")));
        }

        using var a = await OpenAsync(riders[0], timeout.Token);
        using var b = await OpenAsync(riders[1], timeout.Token);
        using var c = await OpenAsync(riders[2], timeout.Token);
        using var refused = await OpenAsync(riders[3], timeout.Token);

        Assert.All([a, b, c], r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var problem = await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.Contains("as many notification streams open as it serves", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        riders.ForEach(r => r.Dispose());
    }

    private static async Task<HttpResponseMessage> OpenAsync(HttpClient rider, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Stream);
        return await rider.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }
}
