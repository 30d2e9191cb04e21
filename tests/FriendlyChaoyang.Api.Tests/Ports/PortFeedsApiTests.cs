using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FriendlyChaoyang.Api.Auth;
using FriendlyChaoyang.Seeds;

namespace FriendlyChaoyang.Api.Tests.Ports;

[Collection(ApiCollection.Name)]
public sealed class PortFeedsApiTests(ApiFixture api)
{
    /// <summary>Seeded stations no other API test touches; each test takes its own.</summary>
    private static readonly string[] Quiet = [.. SeedData.Stations.Where(s => s.SubdistrictId is "sunhe" or "jinzhan" or "heizhuanghu").Select(s => s.Id)];
    private static int _next = -1;

    [Fact]
    public async Task APartnersFeedTakesFreeSwapBatteriesFromThreeToTwoToZeroInNearbyWithinASecond()
    {
        var station = NextStation();
        using var partner = await PartnerAsync();
        var at = DateTimeOffset.UtcNow;

        var put = await partner.PutAsJsonAsync(Feed(station), Ports(("b1", "swap", "charged", at), ("b2", "swap", "charged", at), ("b3", "swap", "charged", at)));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var answer = await put.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((3, 0), (answer.GetProperty("accepted").GetInt32(), answer.GetProperty("ignored").GetInt32()));
        await AssertSwapFreeInNearbyWithinASecondAsync(station, 3);

        var patch = await partner.PatchAsJsonAsync(Feed(station), Ports(("b2", "swap", "empty", at.AddSeconds(1))));
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        await AssertSwapFreeInNearbyWithinASecondAsync(station, 2);

        patch = await partner.PatchAsJsonAsync(Feed(station), Ports(("b1", "swap", "empty", at.AddSeconds(2)), ("b3", "swap", "out_of_order", at.AddSeconds(2))));
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        await AssertSwapFreeInNearbyWithinASecondAsync(station, 0);

        var view = await api.Anonymous().GetFromJsonAsync<JsonElement>($"/api/v1/stations/{station}");
        var swap = view.GetProperty("swap");
        Assert.Equal(3, swap.GetProperty("total").GetInt32());
        Assert.Equal(0, swap.GetProperty("free").GetInt32());
        Assert.True(swap.TryGetProperty("freshAt", out _));
    }

    [Theory]
    [InlineData("""{"ports":[]}""", "ports")]
    [InlineData("""{}""", "ports")]
    [InlineData("""{"ports":[null]}""", "ports[0]")]
    [InlineData("""{"ports":[{"portId":" bad id","kind":"swap","status":"charged","at":"2030-01-01T00:00:00Z"}]}""", "ports[0].portId")]
    [InlineData("""{"ports":[{"portId":"p1","kind":"sofa","status":"charged","at":"2030-01-01T00:00:00Z"}]}""", "ports[0].kind")]
    [InlineData("""{"ports":[{"portId":"p1","kind":"swap","status":"melted","at":"2030-01-01T00:00:00Z"}]}""", "ports[0].status")]
    [InlineData("""{"ports":[{"portId":"p1","kind":"charging","status":"charged","at":"2030-01-01T00:00:00Z"}]}""", "ports[0].status")]
    [InlineData("""{"ports":[{"portId":"p1","kind":"swap","status":"charged"}]}""", "ports[0].at")]
    [InlineData("""{"ports":[{"portId":"p1","kind":"swap","status":"charged","at":"2000-01-01T00:00:00Z"},{"portId":"p1","kind":"swap","status":"empty","at":"2000-01-01T00:00:00Z"}]}""", "ports[1].portId")]
    [InlineData("""{"ports":[{"portId":"p1","kind":"swap","status":"charged","at":"2999-01-01T00:00:00Z"}]}""", "ports[0].at")]
    public async Task BadFeedsAreRefusedNamingTheFieldAndChangeNothing(string body, string field)
    {
        var station = NextStation();
        using var partner = await PartnerAsync();
        var before = await SwapAsync(station);

        var response = await partner.PutAsync(Feed(station), new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await ProblemAssert.IsValidationProblemAsync(response, field);
        Assert.Equal(before.ToString(), (await SwapAsync(station)).ToString());
    }

    [Fact]
    public async Task ADeltaForAPortNoSnapshotRegisteredIsRefusedAndChangesNothing()
    {
        var station = NextStation();
        using var partner = await PartnerAsync();
        var at = DateTimeOffset.UtcNow;
        await partner.PutAsJsonAsync(Feed(station), Ports(("d1", "swap", "charged", at)));

        var response = await partner.PatchAsJsonAsync(Feed(station), Ports(("d1", "swap", "empty", at.AddSeconds(1)), ("d9", "swap", "charged", at.AddSeconds(1))));

        await ProblemAssert.IsValidationProblemAsync(response, "ports[1].portId");
        Assert.Equal(1, (await SwapAsync(station)).GetProperty("free").GetInt32());
    }

    [Fact]
    public async Task AnUnknownStationIs404()
    {
        using var partner = await PartnerAsync();

        var response = await partner.PutAsJsonAsync("/api/v1/partners/stations/cy-nowhere-999/ports", Ports(("x", "swap", "charged", DateTimeOffset.UtcNow)));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task OnlyThePartnerThatRegisteredAPortMayReportItAndRidersOrAnonymousCallersMayNotFeedAtAll()
    {
        var station = NextStation();
        using var owner = await PartnerAsync();
        using var other = await PartnerAsync();
        var at = DateTimeOffset.UtcNow;
        Assert.Equal(HttpStatusCode.OK, (await owner.PutAsJsonAsync(Feed(station), Ports(("o1", "swap", "charged", at)))).StatusCode);

        var intruder = await other.PatchAsJsonAsync(Feed(station), Ports(("o1", "swap", "empty", at.AddSeconds(1))));
        var overwrite = await other.PutAsJsonAsync(Feed(station), Ports(("o1", "swap", "empty", at.AddSeconds(1))));
        using var rider = await api.RiderAsync();
        var asRider = await rider.PutAsJsonAsync(Feed(station), Ports(("r1", "swap", "charged", at)));
        var anonymous = await api.Anonymous().PutAsJsonAsync(Feed(station), Ports(("a1", "swap", "charged", at)));
        using var madeUp = api.Anonymous();
        madeUp.DefaultRequestHeaders.Add(ApiKeyValidator.Header, "fcpk_" + new string('A', 43));
        var unknownKey = await madeUp.PutAsJsonAsync(Feed(station), Ports(("k1", "swap", "charged", at)));

        await ProblemAssert.IsProblemAsync(intruder, HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(overwrite, HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Unauthorized, asRider.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknownKey.StatusCode);
        var swap = await SwapAsync(station);
        Assert.Equal((1, 1), (swap.GetProperty("total").GetInt32(), swap.GetProperty("free").GetInt32()));
    }

    [Fact]
    public async Task ARiderReservesABatteryThePartnerPullsItAndReleasingItFreesTheBattery()
    {
        var station = NextStation();
        using var partner = await PartnerAsync();
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        await partner.PutAsJsonAsync(Feed(station), Ports(("r1", "swap", "charged", DateTimeOffset.UtcNow)));
        using var rider = await api.RiderAsync();
        using var late = await api.RiderAsync();

        var reserved = await rider.PostAsJsonAsync($"/api/v1/stations/{station}/port-reservations", new { kind = "swap" });
        var second = await rider.PostAsJsonAsync($"/api/v1/stations/{station}/port-reservations", new { kind = "swap" });
        var lateRider = await late.PostAsJsonAsync($"/api/v1/stations/{station}/port-reservations", new { kind = "swap" });

        Assert.Equal(HttpStatusCode.Created, reserved.StatusCode);
        var body = await reserved.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("id").GetString()!;
        Assert.Equal("r1", body.GetProperty("portId").GetString());
        Assert.True(body.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        Assert.Equal($"/api/v1/stations/{station}/port-reservations/{id}", reserved.Headers.Location?.ToString());
        await ProblemAssert.IsProblemAsync(second, HttpStatusCode.Conflict);
        var none = await ProblemAssert.IsProblemAsync(lateRider, HttpStatusCode.Conflict);
        Assert.Equal(JsonValueKind.Array, none.GetProperty("alternatives").ValueKind);
        Assert.Equal(0, (await SwapAsync(station)).GetProperty("free").GetInt32());

        var pulled = await PullAsync(partner, since, r => r.GetProperty("id").GetString() == id);
        Assert.Equal("held", pulled.GetProperty("status").GetString());
        Assert.Equal(station, pulled.GetProperty("stationId").GetString());
        Assert.False(pulled.TryGetProperty("riderId", out _));

        Assert.Equal(HttpStatusCode.NoContent, (await rider.DeleteAsync($"/api/v1/stations/{station}/port-reservations/{id}")).StatusCode);
        await ProblemAssert.IsProblemAsync(await rider.DeleteAsync($"/api/v1/stations/{station}/port-reservations/{id}"), HttpStatusCode.NotFound);
        Assert.Equal(1, (await SwapAsync(station)).GetProperty("free").GetInt32());
        var released = await PullAsync(partner, since, r => r.GetProperty("id").GetString() == id && r.GetProperty("status").GetString() == "released");
        Assert.Equal("released", released.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ReservationsRefuseBadInputUnknownStationsAndCallersWhoAreNotRiders()
    {
        var station = NextStation();
        using var rider = await api.RiderAsync();
        using var op = await api.OperatorAsync("jianwai");
        using var partner = await PartnerAsync();

        await ProblemAssert.IsValidationProblemAsync(await rider.PostAsJsonAsync($"/api/v1/stations/{station}/port-reservations", new { kind = "sofa" }), "kind");
        await ProblemAssert.IsValidationProblemAsync(await rider.PostAsJsonAsync($"/api/v1/stations/{station}/port-reservations", new { }), "kind");
        await ProblemAssert.IsProblemAsync(await rider.PostAsJsonAsync("/api/v1/stations/cy-nowhere-999/port-reservations", new { kind = "swap" }), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Anonymous().PostAsJsonAsync($"/api/v1/stations/{station}/port-reservations", new { kind = "swap" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await op.PostAsJsonAsync($"/api/v1/stations/{station}/port-reservations", new { kind = "swap" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await partner.PostAsJsonAsync($"/api/v1/stations/{station}/port-reservations", new { kind = "swap" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await rider.GetAsync("/api/v1/partners/reservations")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Anonymous().GetAsync("/api/v1/partners/reservations")).StatusCode);
    }

    private static string NextStation() => Quiet[Interlocked.Increment(ref _next) % Quiet.Length];

    private static string Feed(string station) => $"/api/v1/partners/stations/{station}/ports";

    private static object Ports(params (string Id, string Kind, string Status, DateTimeOffset At)[] ports) =>
        new { ports = ports.Select(p => new { portId = p.Id, kind = p.Kind, status = p.Status, at = p.At }) };

    /// <summary>A client with a fresh partner platform's api key.</summary>
    private async Task<HttpClient> PartnerAsync()
    {
        using var admin = await api.ClientForAsync($"admin-{Guid.NewGuid():N}", "admin");
        var platform = $"p-{Guid.NewGuid():N}"[..20];
        var created = await (await admin.PostAsJsonAsync("/api/v1/admin/api-keys", new { name = "Port feed", platform })).Content.ReadFromJsonAsync<JsonElement>();
        var client = api.Anonymous();
        client.DefaultRequestHeaders.Add(ApiKeyValidator.Header, created.GetProperty("key").GetString());
        return client;
    }

    private async Task<JsonElement> SwapAsync(string station) =>
        (await api.Anonymous().GetFromJsonAsync<JsonElement>($"/api/v1/stations/{station}")).GetProperty("swap");

    /// <summary>
    /// Polls nearby (a 1 m circle around the station) until its free swap count is <paramref name="expected"/>, for at most
    /// a second. A failure says what the station itself shows, to tell a stale index from a feed that was not applied.
    /// </summary>
    private async Task AssertSwapFreeInNearbyWithinASecondAsync(string station, int expected)
    {
        var seed = SeedData.Stations.Single(s => s.Id == station);
        var url = string.Create(CultureInfo.InvariantCulture, $"/api/v1/stations/nearby?lat={seed.Lat}&lon={seed.Lon}&radius=1");
        using var client = api.Anonymous();
        var clock = Stopwatch.StartNew();
        var free = -1;
        while (clock.Elapsed < TimeSpan.FromSeconds(1))
        {
            var found = await client.GetFromJsonAsync<JsonElement>(url);
            free = found.EnumerateArray().Single(s => s.GetProperty("id").GetString() == station).GetProperty("swap").GetProperty("free").GetInt32();
            if (free == expected)
            {
                return;
            }
            await Task.Delay(50);
        }
        Assert.Fail($"Nearby showed {free} free swap batteries at {station} after {clock.ElapsedMilliseconds} ms, not {expected}; the station shows {await SwapAsync(station)}.");
    }

    private static async Task<JsonElement> PullAsync(HttpClient partner, DateTimeOffset since, Func<JsonElement, bool> match)
    {
        var url = $"/api/v1/partners/reservations?since={Uri.EscapeDataString(since.ToString("O", CultureInfo.InvariantCulture))}";
        for (var attempt = 0; ; attempt++)
        {
            var found = (await partner.GetFromJsonAsync<JsonElement>(url)).EnumerateArray().Where(match).ToList();
            if (found.Count > 0 || attempt == 50)
            {
                return Assert.Single(found);
            }
            await Task.Delay(100);
        }
    }
}
