using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FriendlyChaoyang.Api.Console;
using FriendlyChaoyang.Api.Tests.Activities;
using FriendlyChaoyang.Api.Tests.Issues;
using FriendlyChaoyang.Api.Tests.Points;
using OpenQA.Selenium;

namespace FriendlyChaoyang.Api.Tests.Console;

/// <summary>The operator console at /console/ in a real headless chromium, against the API on a real socket.</summary>
[Collection(ApiCollection.Name)]
public sealed class ConsolePageTests(ApiFixture fixture) : IAsyncLifetime
{
    private static readonly string[] HotWaterOptions = ["要", "不要"];

    private ConsoleBrowser _browser = null!;

    public async Task InitializeAsync() => _browser = await ConsoleBrowser.StartAsync(fixture);

    public async Task DisposeAsync() => await _browser.DisposeAsync();

    [Fact]
    public async Task AnOperatorSignedInByTheTokenFragmentSeesANewReportArriveLiveAndWorksItToResolvedAndOutOfTheQueue()
    {
        using var rider = await fixture.RiderAsync();
        var (lat, lon) = IssuesApiTests.FreshSpot();
        var subdistrict = (await fixture.Anonymous().GetFromJsonAsync<JsonElement>("/api/v1/subdistricts"))
            .EnumerateArray().MinBy(s => Math.Pow(s.GetProperty("lat").GetDouble() - lat, 2) + Math.Pow(s.GetProperty("lon").GetDouble() - lon, 2))
            .GetProperty("id").GetString()!;
        var token = await fixture.TokenAsync($"op-console-{Guid.NewGuid():N}", "operator", subdistrict);

        _browser.Open($"token={token}");
        _browser.Until(d => _browser.Text("#who").Contains("op-console-", StringComparison.Ordinal), "the signed-in operator to show");
        _browser.Until(d => _browser.Text("#queue-count").StartsWith('('), "the queue to load");
        _browser.Until(d => _browser.Exists("#stations tr") && _browser.Exists("#map circle.station"), "the stations board and map");
        Assert.DoesNotContain("token=", _browser.Driver.Url, StringComparison.Ordinal);

        // Reported after the page loaded: it must arrive without a reload.
        var report = IssuesApiTests.Report("road_collapse", lat, lon, "路面塌陷，请尽快处理", TestPhotos.JpegWithExif(), "IMG_0001.jpg");
        var created = await (await rider.PostAsync("/api/v1/issues", report)).Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal(subdistrict, created.GetProperty("subdistrictId").GetString());
        var card = $"#queue li[data-issue-id='{id}']";
        _browser.Until(d => _browser.Exists(card) && _browser.Text($"{card} .desc").Contains("路面塌陷", StringComparison.Ordinal), "the new report in the queue");
        _browser.Until(d => d.FindElement(By.CssSelector($"{card} img.thumb")).GetAttribute("src")!.StartsWith("blob:", StringComparison.Ordinal),
            "the photo thumbnail");
        Assert.True(_browser.Exists($"#map path.issue-marker[data-issue-id='{id}']"));
        _browser.Screenshot("console-queue");

        _browser.Click($"{card} button[data-action='rejected']", "reject without a note");
        _browser.Until(d => _browser.Text("#message").Contains("驳回须填写理由", StringComparison.Ordinal), "the note-required message");
        Assert.Equal("submitted", await StatusAsync(rider, id));

        foreach (var step in new[] { "dispatched", "on_site" })
        {
            _browser.Click($"{card} button[data-action='{step}']", step);
            _browser.Until(d => d.FindElement(By.CssSelector(card)).GetAttribute("data-status") == step, $"the issue to be {step}");
        }
        _browser.Click($"{card} button[data-action='resolved']", "resolve");
        _browser.Until(d => !_browser.Exists(card), "the resolved issue to leave the queue");
        _browser.Screenshot("console-resolved");
        Assert.Equal("resolved", await StatusAsync(rider, id));
    }

    [Fact]
    public async Task AnOperatorLooksUpAVoucherSeesItsRewardAndConfirmsIt()
    {
        using var rider = await fixture.RiderWithPointsAsync(100);
        var voucher = await (await rider.RedeemAsync(new { rewardId = "laundry", subdistrictId = "jianwai" })).Content.ReadFromJsonAsync<JsonElement>();
        var code = voucher.GetProperty("code").GetString()!;

        _browser.Open($"token={await fixture.TokenAsync("op-console-jianwai", "operator", "jianwai")}");
        _browser.Until(d => _browser.Exists("#voucher-code") && d.FindElement(By.Id("voucher-code")).Displayed, "the redemptions form");
        _browser.Driver.FindElement(By.Id("voucher-code")).SendKeys(code);
        _browser.Click("#voucher-lookup", "look up");
        _browser.Until(d => _browser.Exists("#voucher-status[data-status='held']"), "the held voucher");
        Assert.Contains(code, _browser.Text("#voucher"), StringComparison.Ordinal);
        _browser.Screenshot("console-voucher-held");

        _browser.Click("#voucher-confirm", "confirm");
        _browser.Until(d => _browser.Exists("#voucher-status[data-status='redeemed']"), "the redeemed voucher");
        Assert.Contains("op-console-jianwai", _browser.Text("#voucher"), StringComparison.Ordinal);
        _browser.Screenshot("console-voucher-redeemed");
        var stored = await rider.GetFromJsonAsync<JsonElement>($"/api/v1/redemptions/{code}");
        Assert.Equal("redeemed", stored.GetProperty("status").GetString());
    }

    [Fact]
    public async Task AStationManagerSeesTheirStationsActivitiesAndPollsWithCountsThatFollowRegistrationsAndVotes()
    {
        const string station = "cy-hujialou-005";
        using var manager = await fixture.AppointedManagerAsync(station);
        var title = $"骑手安全讲座 {Guid.NewGuid():N}"[..16];
        var activity = await fixture.PublishAsync(station, new { title, kind = "safety_talk", startsAt = DateTimeOffset.UtcNow.AddDays(1),
            endsAt = DateTimeOffset.UtcNow.AddDays(1).AddHours(2), capacity = 1, points = 5 });
        var poll = await (await manager.PostAsJsonAsync($"/api/v1/stations/{station}/polls",
            new { question = "要不要加热水？", options = HotWaterOptions, closesAt = DateTimeOffset.UtcNow.AddDays(1) })).Content.ReadFromJsonAsync<JsonElement>();
        var row = $"#my-activities tr[data-activity-id='{activity.GetProperty("id").GetString()}']";
        var pollItem = $"#my-polls li[data-poll-id='{poll.GetProperty("id").GetString()}']";

        _browser.Open($"token={await fixture.TokenAsync($"mgr-{station}", "manager", station: station)}");
        _browser.Until(d => _browser.Exists(row) && _browser.Exists(pollItem), "the station's activity and poll");
        Assert.False(_browser.Driver.FindElement(By.Id("queue-card")).Displayed);
        Assert.Contains(title, _browser.Text(row), StringComparison.Ordinal);
        Assert.Equal("0", _browser.Text($"{row} .registered"));
        Assert.Contains("要不要加热水？", _browser.Text(pollItem), StringComparison.Ordinal);
        Assert.StartsWith("0", _browser.Text($"{pollItem} li[data-option='0'] .votes"), StringComparison.Ordinal);

        using var first = await fixture.RiderAsync();
        using var second = await fixture.RiderAsync();
        var activityPath = $"/api/v1/activities/{activity.GetProperty("id").GetString()}/registrations";
        Assert.Equal(HttpStatusCode.Created, (await first.PostAsync(activityPath, null)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await second.PostAsync(activityPath, null)).StatusCode);
        Assert.Equal(HttpStatusCode.Created,
            (await first.PostAsJsonAsync($"/api/v1/polls/{poll.GetProperty("id").GetString()}/votes", new { option = 0 })).StatusCode);

        _browser.Until(d => _browser.Text($"{row} .registered") == "1" && _browser.Text($"{row} .waitlisted") == "1", "the registration counts");
        _browser.Until(d => _browser.Text($"{pollItem} li[data-option='0'] .votes").StartsWith('1'), "the vote count");
        Assert.Contains("我的驿站", _browser.Text("#my-station h2"), StringComparison.Ordinal);
        _browser.Screenshot("console-my-station");
    }

    [Fact]
    public void AWronglySignedTokenShowsTheApisRefusalAndTheSignInFormNotABlankPage()
    {
        static string Part(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        var forged = $"{Part("""{"alg":"HS256","typ":"JWT"}""")}.{Part($$"""{"sub":"mallory","role":"operator","subdistrict":"jianwai","exp":{{exp}}}""")}.c2lnbmF0dXJl";

        _browser.Open($"token={forged}");
        _browser.Until(d => _browser.Text("#message").Contains("401", StringComparison.Ordinal), "the refusal message");
        Assert.True(_browser.Driver.FindElement(By.Id("sign-in")).Displayed);
        Assert.False(_browser.Driver.FindElement(By.Id("workspace")).Displayed);
        _browser.Screenshot("console-bad-token");

        _browser.Open("token=not-a-token");
        _browser.Until(d => _browser.Text("#message").Contains("令牌格式无效", StringComparison.Ordinal), "the malformed-token message");
        Assert.True(_browser.Driver.FindElement(By.Id("sign-in")).Displayed);
    }

    [Fact]
    public async Task TheConsolePageAllowsOnlyItsOwnScriptsAndStylesAndItsFilesAreServed()
    {
        using var client = fixture.Anonymous();
        var page = await client.GetAsync("/console/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        Assert.Equal(ConsolePage.Policy, page.Headers.GetValues("Content-Security-Policy").Single());
        var script = await client.GetAsync("/console/console.js");
        Assert.Equal("text/javascript", script.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/console/secrets.txt")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/console")).StatusCode);
    }

    private static async Task<string> StatusAsync(HttpClient client, string issueId) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/v1/issues/{issueId}")).GetProperty("status").GetString()!;
}
