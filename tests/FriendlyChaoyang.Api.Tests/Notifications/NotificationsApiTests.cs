using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FriendlyChaoyang.Notifications;
using FriendlyChaoyang.Api.Tests.Issues;
using FriendlyChaoyang.Testing;

namespace FriendlyChaoyang.Api.Tests.Notifications;

[Collection(ApiCollection.Name)]
public sealed class NotificationsApiTests(ApiFixture fixture)
{
    [Fact]
    public async Task TheStreamPushesAnIssuesStatusChangeLiveAfterLastEventId()
    {
        using var rider = await fixture.RiderAsync($"rider-{Guid.NewGuid():N}");
        var (lat, lon) = IssuesApiTests.FreshSpot();
        var receipt = await (await rider.PostAsync("/api/v1/issues",
                IssuesApiTests.Report("pothole", lat, lon, "x", TestPhotos.JpegWithExif(), "a.jpg")))
            .Content.ReadFromJsonAsync<JsonElement>();
        var id = receipt.GetProperty("id").GetString()!;
        using var op = await fixture.OperatorAsync(receipt.GetProperty("subdistrictId").GetString()!);
        var first = await Eventually.ReadAsync(() => rider.GetFromJsonAsync<JsonElement>("/api/v1/riders/me/notifications"),
            n => n.GetArrayLength() == 1);
        var firstId = first[0].GetProperty("id").GetInt64();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var stream = await OpenStreamAsync(rider, "", firstId, timeout.Token);
        var moved = await op.PostAsJsonAsync($"/api/v1/issues/{id}/transitions", new { to = "dispatched" }, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);

        var pushed = await stream.NextNotificationAsync(timeout.Token);
        Assert.Equal(firstId + 1, pushed.Id);
        Assert.Equal("issue_dispatched", pushed.Data.GetProperty("kind").GetString());
        Assert.Equal(id, pushed.Data.GetProperty("issueId").GetString());
    }

    [Fact]
    public async Task TheStreamOpensAtOnceWithAReconnectDelayThenResumesAfterLastEventIdWhichWinsOverAfter()
    {
        var riderId = $"rider-{Guid.NewGuid():N}";
        using var rider = await fixture.RiderAsync(riderId);
        var ids = await NotifyAsync(riderId, "one", "two", "three");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        using var stream = await OpenStreamAsync(rider, "?after=0", ids[0], timeout.Token);

        var opening = await stream.NextEventAsync(timeout.Token);
        Assert.Equal("keep-alive", opening.Event);
        Assert.Equal("2000", opening.Retry);
        Assert.Null(opening.Id);
        Assert.Equal([ids[1], ids[2]], [(await stream.NextNotificationAsync(timeout.Token)).Id, (await stream.NextNotificationAsync(timeout.Token)).Id]);
        var live = (await NotifyAsync(riderId, "four"))[0];
        var pushed = await stream.NextNotificationAsync(timeout.Token);
        Assert.Equal(live, pushed.Id);
        Assert.Equal("four", pushed.Data.GetProperty("text").GetString());
    }

    [Fact]
    public async Task WithoutLastEventIdTheStreamStartsAfterTheAfterQuery()
    {
        var riderId = $"rider-{Guid.NewGuid():N}";
        using var rider = await fixture.RiderAsync(riderId);
        var ids = await NotifyAsync(riderId, "one", "two");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        using var stream = await OpenStreamAsync(rider, $"?after={ids[0]}", lastEventId: null, timeout.Token);

        Assert.Equal(ids[1], (await stream.NextNotificationAsync(timeout.Token)).Id);
    }

    [Fact]
    public async Task TheListHoldsWhatCameAfterTheGivenIdOldestFirst()
    {
        var riderId = $"rider-{Guid.NewGuid():N}";
        using var rider = await fixture.RiderAsync(riderId);
        var ids = await NotifyAsync(riderId, "one", "two", "three");

        var listed = await rider.GetFromJsonAsync<JsonElement>($"/api/v1/riders/me/notifications?after={ids[0]}");

        Assert.Equal([ids[1], ids[2]], listed.EnumerateArray().Select(n => n.GetProperty("id").GetInt64()));
    }

    [Theory]
    [InlineData("/api/v1/riders/me/notifications?after=-1")]
    [InlineData("/api/v1/riders/me/notifications/stream?after=-1")]
    public async Task ANegativeAfterIsRefusedNamingTheField(string url)
    {
        using var rider = await fixture.RiderAsync();

        await ProblemAssert.IsValidationProblemAsync(await rider.GetAsync(url), "after");
    }

    private async Task<long[]> NotifyAsync(string riderId, params string[] texts)
    {
        var grain = fixture.Cluster.Client.GetGrain<INotificationsGrain>(riderId);
        var known = (await grain.ListAsync(0)).Select(n => n.Id).ToHashSet();
        foreach (var text in texts)
        {
            await grain.AddAsync(new NotificationDraft($"test:{Guid.NewGuid():N}", "test", null, text));
        }
        return [.. (await grain.ListAsync(0)).Select(n => n.Id).Where(id => !known.Contains(id))];
    }

    private static Task<SseReader> OpenStreamAsync(HttpClient rider, string query, long? lastEventId, CancellationToken cancellationToken) =>
        OpenStreamAtAsync(rider, $"/api/v1/riders/me/notifications/stream{query}", lastEventId, cancellationToken);

    /// <summary>Opens a notification stream (riders' or operators') at <paramref name="pathAndQuery"/>.</summary>
    internal static async Task<SseReader> OpenStreamAtAsync(HttpClient client, string pathAndQuery, long? lastEventId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        if (lastEventId is { } id)
        {
            request.Headers.Add("Last-Event-ID", id.ToString(CultureInfo.InvariantCulture));
        }
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        return new SseReader(response, new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken)));
    }

    internal sealed record SseEvent(string? Event, string? Id, string? Data, string? Retry);

    /// <summary>Reads a text/event-stream one event (a block ended by a blank line) at a time.</summary>
    internal sealed class SseReader(HttpResponseMessage response, StreamReader reader) : IDisposable
    {
        public async Task<SseEvent> NextEventAsync(CancellationToken cancellationToken)
        {
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line.Length == 0)
                {
                    return new SseEvent(fields.GetValueOrDefault("event"), fields.GetValueOrDefault("id"), fields.GetValueOrDefault("data"),
                        fields.GetValueOrDefault("retry"));
                }
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                fields[line[..colon]] = line[(colon + 1)..].TrimStart(' ');
            }
            throw new InvalidOperationException("The stream ended before the event did.");
        }

        /// <summary>The next notification, skipping keep-alives.</summary>
        public async Task<(long Id, JsonElement Data)> NextNotificationAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                var next = await NextEventAsync(cancellationToken);
                if (next.Event == "notification")
                {
                    return (long.Parse(next.Id!, CultureInfo.InvariantCulture), JsonDocument.Parse(next.Data!).RootElement);
                }
            }
        }

        public void Dispose()
        {
            reader.Dispose();
            response.Dispose();
        }
    }
}
