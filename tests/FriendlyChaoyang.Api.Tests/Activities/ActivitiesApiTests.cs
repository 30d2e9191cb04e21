using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FriendlyChaoyang.Api.Tests.Activities;

/// <summary>Publishing, finding, registering for and attending station activities through the REST API.</summary>
[Collection(ApiCollection.Name)]
public sealed class ActivitiesApiTests(ApiFixture fixture)
{
    /// <summary>A valid activity body a day ahead (each call a minute later than the last, so listings have an order).</summary>
    public static JsonObject Activity(int capacity = 10, int points = 5, DateTimeOffset? startsAt = null)
    {
        var starts = startsAt ?? DateTimeOffset.UtcNow.AddDays(1);
        return new JsonObject
        {
            ["title"] = "骑手安全讲座",
            ["kind"] = "safety_talk",
            ["startsAt"] = starts,
            ["endsAt"] = starts.AddHours(2),
            ["capacity"] = capacity,
            ["points"] = points,
        };
    }

    [Theory]
    [InlineData("title", "", "title")]
    [InlineData("title", "long", "title")]
    [InlineData("kind", "karaoke", "kind")]
    [InlineData("capacity", 0, "capacity")]
    [InlineData("capacity", 100_000, "capacity")]
    [InlineData("points", -1, "points")]
    [InlineData("points", 1_000_000, "points")]
    [InlineData("endsAt", "before", "endsAt")]
    public async Task ABadActivityIsA400NamingTheFieldAndNothingIsPublished(string field, object value, string named)
    {
        const string station = "cy-jianwai-021";
        using var op = await fixture.OperatorAsync("jianwai");
        var body = Activity();
        body[field] = value switch
        {
            "long" => new string('讲', 10_000),
            "before" => DateTimeOffset.UtcNow.AddHours(20),
            string text => text,
            int number => number,
            _ => throw new ArgumentException("unexpected value", nameof(value)),
        };

        var response = await op.PostAsJsonAsync($"/api/v1/stations/{station}/activities", body);

        await ProblemAssert.IsValidationProblemAsync(response, named);
        Assert.Empty(await op.GetFromJsonAsync<JsonElement[]>($"/api/v1/activities?stationId={station}") ?? []);
    }

    [Fact]
    public async Task PublishingIsForTheStationsStaffAndUnknownStationsAre404()
    {
        using var rider = await fixture.RiderAsync();
        using var chaowai = await fixture.OperatorAsync("chaowai");
        const string station = "cy-jianwai-022";

        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.Anonymous().PostAsJsonAsync($"/api/v1/stations/{station}/activities", Activity())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rider.PostAsJsonAsync($"/api/v1/stations/{station}/activities", Activity())).StatusCode);
        await ProblemAssert.IsProblemAsync(await chaowai.PostAsJsonAsync($"/api/v1/stations/{station}/activities", Activity()), HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(await chaowai.PostAsJsonAsync("/api/v1/stations/cy-nowhere-1/activities", Activity()), HttpStatusCode.NotFound);
        Assert.Empty(await rider.GetFromJsonAsync<JsonElement[]>($"/api/v1/activities?stationId={station}") ?? []);
    }

    [Fact]
    public async Task AnIdempotencyKeyReturnsTheFirstActivityForTheSameBodyAnd422ForAnother()
    {
        const string station = "cy-jianwai-023";
        using var op = await fixture.OperatorAsync("jianwai");
        var body = Activity();
        var key = $"k-{Guid.NewGuid():N}";

        var first = await SendAsync(op, station, body, key);
        var again = await SendAsync(op, station, body, key);
        body["capacity"] = 11;
        var other = await SendAsync(op, station, body, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        var id = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        Assert.Equal(id, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());
        await ProblemAssert.IsProblemAsync(other, HttpStatusCode.UnprocessableEntity);
        var listed = await op.GetFromJsonAsync<JsonElement[]>($"/api/v1/activities?stationId={station}");
        Assert.Equal(10, Assert.Single(listed!).GetProperty("capacity").GetInt32());
    }

    [Fact]
    public async Task TheCalendarListsAStationsOrNearbyActivitiesSoonestFirstInPagesAndWithinTheTimeWindow()
    {
        const string station = "cy-jianwai-024";
        var now = DateTimeOffset.UtcNow;
        var later = await fixture.PublishAsync(station, Activity(startsAt: now.AddDays(3)));
        var sooner = await fixture.PublishAsync(station, Activity(startsAt: now.AddDays(2)));
        var farOff = await fixture.PublishAsync(station, Activity(startsAt: now.AddDays(40)));
        var ids = new[] { sooner, later, farOff }.Select(a => a.GetProperty("id").GetString()).ToList();
        using var client = fixture.Anonymous();

        var all = await client.GetFromJsonAsync<JsonElement[]>($"/api/v1/activities?stationId={station}");
        Assert.Equal(ids, all!.Select(a => a.GetProperty("id").GetString()));
        var page2 = await client.GetFromJsonAsync<JsonElement[]>($"/api/v1/activities?stationId={station}&page=2&pageSize=1");
        Assert.Equal(ids[1], Assert.Single(page2!).GetProperty("id").GetString());
        var to = Uri.EscapeDataString(now.AddDays(10).ToString("O"));
        var window = await client.GetFromJsonAsync<JsonElement[]>($"/api/v1/activities?stationId={station}&to={to}");
        Assert.Equal(ids[..2], window!.Select(a => a.GetProperty("id").GetString()));

        var station24 = await client.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{station}");
        var (lat, lon) = (station24.GetProperty("lat").GetDouble(), station24.GetProperty("lon").GetDouble());
        var nearby = (await client.GetFromJsonAsync<JsonElement[]>($"/api/v1/activities?lat={lat}&lon={lon}&radius=50&pageSize=100"))!;
        Assert.Equal(ids, nearby.Where(a => a.GetProperty("stationId").GetString() == station).Select(a => a.GetProperty("id").GetString()));
        Assert.Equal(nearby.Select(a => a.GetProperty("startsAt").GetDateTimeOffset()).Order(), nearby.Select(a => a.GetProperty("startsAt").GetDateTimeOffset()));
        var nowhere = await client.GetFromJsonAsync<JsonElement[]>("/api/v1/activities?lat=40.5&lon=115.5&radius=100");
        Assert.Empty(nowhere!);
    }

    [Theory]
    [InlineData("", "stationId")]
    [InlineData("?lat=39.9", "stationId")]
    [InlineData("?stationId=cy-jianwai-001&lat=39.9&lon=116.4", "stationId")]
    [InlineData("?stationId=%20x", "stationId")]
    [InlineData("?stationId=cy-jianwai-001&pageSize=101", "pageSize")]
    [InlineData("?stationId=cy-jianwai-001&page=0", "page")]
    [InlineData("?stationId=cy-jianwai-001&from=2030-01-02T00:00:00Z&to=2030-01-01T00:00:00Z", "to")]
    [InlineData("?lat=39.9&lon=116.4&radius=30000", "radius")]
    public async Task ABadCalendarQueryIsA400NamingTheParameter(string query, string named)
    {
        await ProblemAssert.IsValidationProblemAsync(await fixture.Anonymous().GetAsync($"/api/v1/activities{query}"), named);
    }

    [Fact]
    public async Task ThreeRidersForTwoSeatsOneCancelsTheWaitingRiderIsOfferedTheSeatAndTakesIt()
    {
        var activity = (await fixture.PublishAsync("cy-jianwai-025", Activity(capacity: 2))).GetProperty("id").GetString();
        using var a = await fixture.RiderAsync();
        using var b = await fixture.RiderAsync();
        using var c = await fixture.RiderAsync();

        var seatA = await RegisterAsync(a, activity);
        var seatB = await RegisterAsync(b, activity);
        var waitC = await RegisterAsync(c, activity);
        Assert.Equal("registered", seatA.GetProperty("status").GetString());
        Assert.Equal(32, seatA.GetProperty("ticket").GetString()!.Length);
        Assert.Equal("registered", seatB.GetProperty("status").GetString());
        Assert.Equal(("waitlisted", 1), (waitC.GetProperty("status").GetString(), waitC.GetProperty("position").GetInt32()));
        Assert.Equal(seatA.GetRawText(), (await RegisterAsync(a, activity)).GetRawText());
        await ProblemAssert.IsProblemAsync(await c.PostAsync($"/api/v1/activities/{activity}/registrations/me/accept", null), HttpStatusCode.Conflict);
        await ProblemAssert.IsProblemAsync(await c.GetAsync($"/api/v1/activities/{activity}/registrations/me/ticket.svg"), HttpStatusCode.NotFound);

        Assert.Equal(HttpStatusCode.NoContent, (await a.DeleteAsync($"/api/v1/activities/{activity}/registrations/me")).StatusCode);
        await ProblemAssert.IsProblemAsync(await a.DeleteAsync($"/api/v1/activities/{activity}/registrations/me"), HttpStatusCode.NotFound);

        var offer = await Testing.Eventually.ReadAsync(
            () => c.GetFromJsonAsync<JsonElement>("/api/v1/riders/me/notifications"),
            n => n.EnumerateArray().Any(x => x.GetProperty("kind").GetString() == "activity_seat_offered"));
        Assert.Contains(offer.EnumerateArray(), n => n.GetProperty("text").GetString()!.Contains(activity!, StringComparison.Ordinal));
        Assert.Equal("offered", (await RegisterAsync(c, activity)).GetProperty("status").GetString());
        var accepted = await c.PostAsync($"/api/v1/activities/{activity}/registrations/me/accept", null);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal("registered", (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var listed = Assert.Single((await c.GetFromJsonAsync<JsonElement[]>("/api/v1/activities?stationId=cy-jianwai-025"))!);
        Assert.Equal((2, 0), (listed.GetProperty("registered").GetInt32(), listed.GetProperty("waitlisted").GetInt32()));
    }

    [Fact]
    public async Task AScannedTicketRecordsAttendanceOnceAndCreditsThePointsOnce()
    {
        const string station = "cy-jianwai-026";
        var activity = (await fixture.PublishAsync(station, Activity(points: 6))).GetProperty("id").GetString();
        await fixture.AppointAsync(station);
        using var manager = await fixture.ManagerAsync(station);
        using var otherManager = await fixture.ManagerAsync("cy-jianwai-027");
        using var rider = await fixture.RiderAsync();
        var ticket = (await RegisterAsync(rider, activity)).GetProperty("ticket").GetString();

        var svg = await rider.GetAsync($"/api/v1/activities/{activity}/registrations/me/ticket.svg");
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("<svg", (await svg.Content.ReadAsStringAsync()).TrimStart(), StringComparison.Ordinal);

        await ProblemAssert.IsProblemAsync(await otherManager.PostAsJsonAsync($"/api/v1/activities/{activity}/attendance", new { ticket }), HttpStatusCode.Forbidden);
        var first = await (await manager.PostAsJsonAsync($"/api/v1/activities/{activity}/attendance", new { ticket })).Content.ReadFromJsonAsync<JsonElement>();
        var second = await manager.PostAsJsonAsync($"/api/v1/activities/{activity}/attendance", new { ticket });
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var repeat = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(first.GetProperty("firstScan").GetBoolean());
        Assert.False(repeat.GetProperty("firstScan").GetBoolean());
        Assert.Equal(first.GetProperty("attendedAt").GetDateTimeOffset(), repeat.GetProperty("attendedAt").GetDateTimeOffset());
        await ProblemAssert.IsValidationProblemAsync(
            await manager.PostAsJsonAsync($"/api/v1/activities/{activity}/attendance", new { ticket = "0123456789abcdef0123456789abcdef" }), "ticket");

        var points = await Testing.Eventually.ReadAsync(
            () => rider.GetFromJsonAsync<JsonElement>("/api/v1/riders/me/points"), p => p.GetProperty("balance").GetInt32() > 0);
        Assert.Equal(6, points.GetProperty("balance").GetInt32());
        Assert.Equal("activity_attended", Assert.Single(points.GetProperty("entries").EnumerateArray()).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task EveryActivityRouteAnswers404ForAnUnknownActivity()
    {
        using var rider = await fixture.RiderAsync();
        using var op = await fixture.OperatorAsync("jianwai");
        const string path = "/api/v1/activities/no-such-activity";

        await ProblemAssert.IsProblemAsync(await rider.PostAsync($"{path}/registrations", null), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await rider.DeleteAsync($"{path}/registrations/me"), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await rider.PostAsync($"{path}/registrations/me/accept", null), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await rider.GetAsync($"{path}/registrations/me/ticket.svg"), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await op.PostAsJsonAsync($"{path}/attendance", new { ticket = "x" }), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task RegisteringForAnActivityThatHasStartedIs409()
    {
        var activity = (await fixture.PublishAsync("cy-jianwai-028", Activity(startsAt: DateTimeOffset.UtcNow.AddMinutes(-5)))).GetProperty("id").GetString();
        using var rider = await fixture.RiderAsync();

        await ProblemAssert.IsProblemAsync(await rider.PostAsync($"/api/v1/activities/{activity}/registrations", null), HttpStatusCode.Conflict);
    }

    private static async Task<JsonElement> RegisterAsync(HttpClient rider, string? activity)
    {
        var response = await rider.PostAsync($"/api/v1/activities/{activity}/registrations", null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string station, JsonObject body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/stations/{station}/activities") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }
}
