using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace FriendlyChaoyang.Api.Tests.Polls;

/// <summary>Rider polls over REST: who opens them, one vote per rider, live results, bad input and Idempotency-Key replays.</summary>
[Collection(ApiCollection.Name)]
public sealed class PollsApiTests(ApiFixture fixture)
{
    private const string Station = "cy-shuangjing-002";
    private const string Subdistrict = "shuangjing";

    [Fact]
    public async Task AManagerOpensAPollEachRiderVotesOnceAndTheResultsAreLive()
    {
        using var manager = await fixture.AppointedManagerAsync(Station);
        var poll = await OpenAsync(manager, Poll());
        var id = poll.GetProperty("id").GetString()!;
        Assert.False(poll.GetProperty("closed").GetBoolean());
        Assert.Equal(["Hot water", "More chargers", "Longer hours"], poll.GetProperty("options").EnumerateArray().Select(o => o.GetProperty("text").GetString()));

        using var li = await fixture.RiderAsync();
        using var wang = await fixture.RiderAsync();
        var voted = await li.PostAsJsonAsync($"/api/v1/polls/{id}/votes", new { option = 1 });
        Assert.Equal(HttpStatusCode.Created, voted.StatusCode);
        Assert.Equal("0,1,0", Votes(await voted.Content.ReadFromJsonAsync<JsonElement>()));
        Assert.Equal(HttpStatusCode.Created, (await wang.PostAsJsonAsync($"/api/v1/polls/{id}/votes", new { option = 1 })).StatusCode);
        await ProblemAssert.IsProblemAsync(await li.PostAsJsonAsync($"/api/v1/polls/{id}/votes", new { option = 0 }), HttpStatusCode.Conflict);

        using var anonymous = fixture.Anonymous();
        Assert.Equal("0,2,0", Votes(await anonymous.GetFromJsonAsync<JsonElement>($"/api/v1/polls/{id}")));
        var listed = await anonymous.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{Station}/polls?page=1&pageSize=100");
        Assert.Equal("0,2,0", Votes(listed.EnumerateArray().Single(p => p.GetProperty("id").GetString() == id)));
    }

    [Fact]
    public async Task AVoteOnAClosedPollIsRefused()
    {
        using var op = await fixture.OperatorAsync(Subdistrict);
        var id = (await OpenAsync(op, Poll(closesAt: DateTimeOffset.UtcNow.AddSeconds(1)))).GetProperty("id").GetString()!;
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        using var rider = await fixture.RiderAsync();
        await ProblemAssert.IsProblemAsync(await rider.PostAsJsonAsync($"/api/v1/polls/{id}/votes", new { option = 0 }), HttpStatusCode.Conflict);
        var poll = await rider.GetFromJsonAsync<JsonElement>($"/api/v1/polls/{id}");
        Assert.True(poll.GetProperty("closed").GetBoolean());
        Assert.Equal("0,0,0", Votes(poll));
    }

    [Fact]
    public async Task BadPollsAreRefusedNamingTheFieldAndNothingIsStored()
    {
        using var manager = await fixture.AppointedManagerAsync(Station);
        var before = await PollCountAsync();
        var cases = new (object Body, string Field)[]
        {
            (Poll(question: ""), "question"),
            (Poll(question: new string('问', 10_000)), "question"),
            (Poll(question: "Hot water?\u202E"), "question"),
            (Poll(options: ["Only one"]), "options"),
            (Poll(options: ["1", "2", "3", "4", "5", "6", "7"]), "options"),
            (Poll(options: ["Tea", ""]), "options[1]"),
            (Poll(options: ["Tea", new string('a', 10_000)]), "options[1]"),
            (Poll(closesAt: DateTimeOffset.UtcNow.AddMinutes(-1)), "closesAt"),
            (new { question = "No options?", closesAt = DateTimeOffset.UtcNow.AddDays(1) }, "options"),
        };
        foreach (var (body, field) in cases)
        {
            await ProblemAssert.IsValidationProblemAsync(await manager.PostAsJsonAsync($"/api/v1/stations/{Station}/polls", body), field);
        }
        Assert.Equal(before, await PollCountAsync());

        var id = (await OpenAsync(manager, Poll(options: ["Yes", "No"]))).GetProperty("id").GetString()!;
        using var rider = await fixture.RiderAsync();
        await ProblemAssert.IsValidationProblemAsync(await rider.PostAsJsonAsync($"/api/v1/polls/{id}/votes", new { option = 2 }), "option");
        await ProblemAssert.IsValidationProblemAsync(await rider.PostAsJsonAsync($"/api/v1/polls/{id}/votes", new { option = -1 }), "option");
        await ProblemAssert.IsValidationProblemAsync(await rider.PostAsJsonAsync($"/api/v1/polls/{id}/votes", new { }), "option");
        Assert.Equal("0,0", Votes(await rider.GetFromJsonAsync<JsonElement>($"/api/v1/polls/{id}")));
        await ProblemAssert.IsValidationProblemAsync(await rider.GetAsync($"/api/v1/stations/{Station}/polls?pageSize=101"), "pageSize");
    }

    [Fact]
    public async Task OnlyTheStationsManagersAndItsSubdistrictsOperatorsOpenPolls()
    {
        var before = await PollCountAsync();
        using var otherManager = await fixture.AppointedManagerAsync("cy-shuangjing-003");
        using var otherOperator = await fixture.OperatorAsync("jianwai");
        using var rider = await fixture.RiderAsync();
        await ProblemAssert.IsProblemAsync(await otherManager.PostAsJsonAsync($"/api/v1/stations/{Station}/polls", Poll()), HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(await otherOperator.PostAsJsonAsync($"/api/v1/stations/{Station}/polls", Poll()), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Forbidden, (await rider.PostAsJsonAsync($"/api/v1/stations/{Station}/polls", Poll())).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.Anonymous().PostAsJsonAsync($"/api/v1/stations/{Station}/polls", Poll())).StatusCode);
        Assert.Equal(before, await PollCountAsync());

        using var op = await fixture.OperatorAsync(Subdistrict);
        await OpenAsync(op, Poll());
        await ProblemAssert.IsProblemAsync(await op.PostAsJsonAsync("/api/v1/stations/cy-nowhere-999/polls", Poll()), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await rider.GetAsync("/api/v1/stations/cy-nowhere-999/polls"), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await rider.GetAsync("/api/v1/polls/poll-unknown"), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await rider.PostAsJsonAsync("/api/v1/polls/poll-unknown/votes", new { option = 0 }), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.Forbidden, (await op.PostAsJsonAsync("/api/v1/polls/poll-unknown/votes", new { option = 0 })).StatusCode);
    }

    [Fact]
    public async Task AnIdempotencyKeyReplaysTheFirstPollAndRefusesAnotherBody()
    {
        using var manager = await fixture.AppointedManagerAsync(Station);
        var key = Guid.NewGuid().ToString();
        var body = Poll();
        var first = await OpenAsync(manager, body, key);
        var before = await PollCountAsync();

        var repeat = await OpenAsync(manager, body, key);
        Assert.Equal(first.GetProperty("id").GetString(), repeat.GetProperty("id").GetString());
        using var other = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/stations/{Station}/polls") { Content = JsonContent.Create(Poll(question: "Something else?")) };
        other.Headers.Add("Idempotency-Key", key);
        await ProblemAssert.IsProblemAsync(await manager.SendAsync(other), HttpStatusCode.UnprocessableEntity);
        Assert.Equal(before, await PollCountAsync());
    }

    private static object Poll(string question = "驿站如何改？What should the station add first?", string[]? options = null, DateTimeOffset? closesAt = null) =>
        new { question, options = options ?? ["Hot water", "More chargers", "Longer hours"], closesAt = closesAt ?? DateTimeOffset.UtcNow.AddDays(7) };

    private static async Task<JsonElement> OpenAsync(HttpClient client, object body, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/stations/{Station}/polls") { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var poll = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"/api/v1/polls/{poll.GetProperty("id").GetString()}", response.Headers.Location?.ToString());
        return poll;
    }

    private async Task<int> PollCountAsync() =>
        (await fixture.Anonymous().GetFromJsonAsync<JsonElement>($"/api/v1/stations/{Station}/polls?pageSize=100&page=1")).GetArrayLength()
        + (await fixture.Anonymous().GetFromJsonAsync<JsonElement>($"/api/v1/stations/{Station}/polls?pageSize=100&page=2")).GetArrayLength();

    /// <summary>Each option's votes, in order, as "0,2,0".</summary>
    private static string Votes(JsonElement poll) => string.Join(',', poll.GetProperty("options").EnumerateArray().Select(o => o.GetProperty("votes").GetInt32()));
}
