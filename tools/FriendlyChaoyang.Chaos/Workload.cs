using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using FriendlyChaoyang.Seeds;
using FriendlyChaoyang.Stations;

namespace FriendlyChaoyang.Chaos;

/// <summary>
/// The mixed workload: riders check in, move, check out, report hazards (some at the same spot, so co-reporters),
/// operators walk issues to resolved (or rejected), riders redeem points and confirm or cancel. Seeded per worker.
/// </summary>
public sealed class Workload(ChaosOptions options, ApiClient api, WorldModel world, Observations observations, Action<string> log)
{
    /// <summary>A 1x1 PNG: the smallest photo the API's magic-byte check and metadata stripper accept.</summary>
    public static readonly byte[] Photo = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    private static readonly string[] Categories = ["road_collapse", "manhole_cover", "broken_signal", "fallen_wire"];

    /// <summary>Small stations in two neighbouring subdistricts: full stations (409) and moves happen often.</summary>
    public static IReadOnlyList<StationDefinition> Stations { get; } =
        [.. SeedData.Stations.Where(s => s.SubdistrictId is "jianwai" or "chaowai").OrderBy(s => s.Seats).ThenBy(s => s.Id, StringComparer.Ordinal).Take(6)];

    /// <summary>Report hotspots: reports at one spot within a few metres link to the open issue there.</summary>
    private static readonly (string Subdistrict, double Lat, double Lon, string Category)[] Spots = BuildSpots();

    private DateTimeOffset _deadline;

    private string Url(string path) => options.ApiUrl + path;

    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow.AddMinutes(2);
        foreach (var reward in SeedData.Rewards)
        {
            world.RewardCosts[reward.Id] = reward.Cost;
        }
        for (var i = 0; i < options.Riders; i++)
        {
            var id = $"chaos-{options.Seed}-rider-{i:000}";
            world.Riders[id] = new RiderModel(id, await TokenAsync(id, "rider", null, deadline, cancellationToken));
        }
        // Every subdistrict: a report is routed by nearest centre, which need not be the spot's own.
        foreach (var subdistrict in SeedData.Subdistricts.Select(s => s.Id))
        {
            world.OperatorTokens[subdistrict] = await TokenAsync($"chaos-op-{subdistrict}", "operator", subdistrict, deadline, cancellationToken);
        }
        log($"{world.Riders.Count} riders, {world.OperatorTokens.Count} operators, stations {string.Join(", ", Stations.Select(s => $"{s.Id}({s.Seats} seats)"))}");
    }

    /// <summary>Runs workers until <paramref name="until"/>; operations in flight then may retry until <paramref name="settleDeadline"/>.</summary>
    public async Task RunAsync(double until, DateTimeOffset settleDeadline, CancellationToken cancellationToken)
    {
        _deadline = settleDeadline;
        var riders = world.Riders.Values.OrderBy(r => r.Id, StringComparer.Ordinal).ToArray();
        var workers = Enumerable.Range(0, options.Workers).Select(w =>
        {
            var mine = riders.Where((_, i) => i % options.Workers == w).ToArray();
            return Task.Run(() => WorkerAsync(w, mine, until, cancellationToken), cancellationToken);
        });
        await Task.WhenAll(workers);
    }

    private async Task WorkerAsync(int worker, RiderModel[] riders, double until, CancellationToken cancellationToken)
    {
        var random = new Random(HashCode.Combine(options.Seed, worker) & 0x7fffffff ^ (options.Seed * 7919 + worker));
        var counter = 0;
        while (observations.Now < until && !cancellationToken.IsCancellationRequested)
        {
            var rider = riders[random.Next(riders.Length)];
            var key = $"chaos-{options.Seed}-w{worker}-{counter++}";
            var dice = random.Next(100);
            if (dice < 30)
            {
                await CheckInAsync(rider, Stations[random.Next(Stations.Count)].Id, random.Next(5) == 0, cancellationToken);
            }
            else if (dice < 42)
            {
                await CheckOutAsync(rider, cancellationToken);
            }
            else if (dice < 60)
            {
                await ReportAsync(rider, random, key, cancellationToken);
            }
            else if (dice < 82)
            {
                await OperateAsync(random, cancellationToken);
            }
            else if (dice < 92)
            {
                await RedeemAsync(rider, random, key, cancellationToken);
            }
            else
            {
                await FinishRedemptionAsync(rider, random, cancellationToken);
            }
            await Task.Delay(random.Next(20, 120), cancellationToken);
        }
    }

    private async Task CheckInAsync(RiderModel rider, string stationId, bool charging, CancellationToken cancellationToken)
    {
        var answer = await SendAsync("check-in", rider,
            () => ApiClient.Json(HttpMethod.Post, Url($"/api/v1/stations/{stationId}/check-ins"), rider.Token, new { charging }), cancellationToken);
        if (answer is { Ok: true })
        {
            rider.Station = stationId;
        }
        else if (answer is { Status: not 409 })
        {
            observations.Anomaly($"check-in of {rider.Id} at {stationId}: unexpected {answer.Status}");
        }
    }

    private async Task CheckOutAsync(RiderModel rider, CancellationToken cancellationToken)
    {
        if (rider.Station is not { } stationId)
        {
            return;
        }
        var answer = await SendAsync("check-out", rider,
            () => ApiClient.Json(HttpMethod.Post, Url($"/api/v1/stations/{stationId}/check-out"), rider.Token, null), cancellationToken);
        if (answer is null)
        {
            return;
        }
        if (answer.Ok || (answer.Status == 409 && answer.Attempts > 1))
        {
            // A 409 after an ambiguous attempt: that attempt checked the rider out.
            rider.Station = null;
        }
        else
        {
            observations.Anomaly($"check-out of {rider.Id} at {stationId} (acknowledged check-in): {answer.Status} {answer.Body}");
            rider.Station = null;
        }
    }

    private async Task ReportAsync(RiderModel rider, Random random, string key, CancellationToken cancellationToken)
    {
        var spot = Spots[random.Next(Spots.Length)];
        var lat = spot.Lat + ((random.NextDouble() - 0.5) * 0.0002);
        var lon = spot.Lon + ((random.NextDouble() - 0.5) * 0.0002);
        var answer = await SendAsync("report", rider, () =>
        {
            var form = new MultipartFormDataContent
            {
                { new StringContent(spot.Category), "category" },
                { new StringContent(lat.ToString("0.000000", CultureInfo.InvariantCulture)), "lat" },
                { new StringContent(lon.ToString("0.000000", CultureInfo.InvariantCulture)), "lon" },
                { new StringContent($"chaos report {key}"), "description" },
            };
            var photo = new ByteArrayContent(Photo);
            photo.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            form.Add(photo, "photo", "photo.png");
            var request = ApiClient.Json(HttpMethod.Post, Url("/api/v1/issues"), rider.Token, null, key);
            request.Content = form;
            return request;
        }, cancellationToken);
        if (answer is not { Ok: true })
        {
            if (answer is not null)
            {
                observations.Anomaly($"report by {rider.Id}: {answer.Status} {answer.Body}");
            }
            return;
        }
        var id = answer.Body.GetProperty("id").GetString()!;
        var status = answer.Body.GetProperty("status").GetString()!;
        var duplicateOf = answer.Body.TryGetProperty("duplicateOf", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
        if (duplicateOf is null)
        {
            var issue = world.Issues.GetOrAdd(id, i => new IssueModel(i));
            issue.Reporter = rider.Id;
            issue.SubdistrictId = answer.Body.GetProperty("subdistrictId").GetString();
            return;
        }
        var original = world.Issues.GetOrAdd(duplicateOf, i => new IssueModel(i));
        original.SubdistrictId ??= answer.Body.GetProperty("subdistrictId").GetString();
        if (status is "submitted" or "dispatched" or "on_site")
        {
            original.CoReporters.TryAdd(rider.Id, true);
        }
        else if (status == "resolved")
        {
            original.LateLinks.TryAdd(rider.Id, true);
        }
    }

    private async Task OperateAsync(Random random, CancellationToken cancellationToken)
    {
        var open = world.Issues.Values.Where(i => i.IsOpen && i.Reporter is not null).OrderBy(i => i.Id, StringComparer.Ordinal).ToList();
        if (open.Count == 0)
        {
            return;
        }
        var issue = open[random.Next(open.Count)];
        if (!issue.TryClaim())
        {
            return;
        }
        try
        {
            var to = random.Next(12) == 0 ? "rejected" : issue.Status switch
            {
                "submitted" => "dispatched",
                "dispatched" => "on_site",
                _ => "resolved",
            };
            var token = world.OperatorTokens[issue.SubdistrictId!];
            var answer = await SendAsync("transition", null,
                () => ApiClient.Json(HttpMethod.Post, Url($"/api/v1/issues/{issue.Id}/transitions"), token, new { to, note = "chaos" }), cancellationToken);
            if (answer is { Ok: true })
            {
                issue.Status = answer.Body.GetProperty("status").GetString()!;
                if (issue.Status != to)
                {
                    observations.Anomaly($"transition of {issue.Id} to {to} answered 200 with status {issue.Status}");
                }
            }
            else if (answer is not null)
            {
                observations.Anomaly($"transition of {issue.Id} from {issue.Status} to {to}: {answer.Status} {answer.Body}");
            }
        }
        finally
        {
            issue.Release();
        }
    }

    private async Task RedeemAsync(RiderModel rider, Random random, string key, CancellationToken cancellationToken)
    {
        var points = await SendAsync("points", rider, () => ApiClient.Json(HttpMethod.Get, Url("/api/v1/riders/me/points"), rider.Token, null), cancellationToken);
        if (points is not { Ok: true })
        {
            return;
        }
        var spendable = points.Body.GetProperty("balance").GetInt32() - points.Body.GetProperty("held").GetInt32();
        var affordable = world.RewardCosts.Where(r => r.Value <= spendable).OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        // Sometimes ask for more than the rider has: a definitive 409, never a hold.
        var rewardId = affordable.Count > 0 && random.Next(5) > 0
            ? affordable[random.Next(affordable.Count)].Key
            : world.RewardCosts.MaxBy(r => r.Value).Key;
        var answer = await SendAsync("redeem", rider,
            () => ApiClient.Json(HttpMethod.Post, Url("/api/v1/redemptions"), rider.Token, new { rewardId }, key), cancellationToken);
        if (answer is { Status: 201 })
        {
            var code = answer.Body.GetProperty("code").GetString()!;
            if (rider.Redemptions.Any(r => r.Code == code))
            {
                observations.Anomaly($"redemption {code} of {rider.Id} created twice with different Idempotency-Keys");
                return;
            }
            rider.Redemptions.Add(new RedemptionModel(code, rider.Id, answer.Body.GetProperty("cost").GetInt32()));
        }
        else if (answer is not null && answer.Status != 409)
        {
            observations.Anomaly($"redemption of {rewardId} by {rider.Id}: {answer.Status} {answer.Body}");
        }
    }

    private async Task FinishRedemptionAsync(RiderModel rider, Random random, CancellationToken cancellationToken)
    {
        var held = rider.Redemptions.Where(r => r.State == "held").ToList();
        if (held.Count == 0)
        {
            return;
        }
        var redemption = held[random.Next(held.Count)];
        if (random.Next(2) == 0)
        {
            var token = world.OperatorTokens.Values.First();
            var answer = await SendAsync("confirm", rider,
                () => ApiClient.Json(HttpMethod.Post, Url($"/api/v1/redemptions/{redemption.Code}/confirm"), token, null), cancellationToken);
            if (answer is { Ok: true })
            {
                redemption.State = "redeemed";
            }
            else if (answer is not null)
            {
                observations.Anomaly($"confirm of held {redemption.Code}: {answer.Status} {answer.Body}");
            }
        }
        else
        {
            var answer = await SendAsync("cancel", rider,
                () => ApiClient.Json(HttpMethod.Delete, Url($"/api/v1/redemptions/{redemption.Code}"), rider.Token, null), cancellationToken);
            if (answer is { Ok: true })
            {
                redemption.State = "released";
            }
            else if (answer is not null)
            {
                observations.Anomaly($"cancel of held {redemption.Code}: {answer.Status} {answer.Body}");
            }
        }
    }

    /// <summary>After the faults: repeat "resolved" on resolved issues, which makes the issue push undelivered awards now.</summary>
    public async Task NudgeResolvedAsync(CancellationToken cancellationToken)
    {
        foreach (var issue in world.Issues.Values.Where(i => i.Status == "resolved"))
        {
            var token = world.OperatorTokens[issue.SubdistrictId!];
            await SendAsync("transition(settle)", null,
                () => ApiClient.Json(HttpMethod.Post, Url($"/api/v1/issues/{issue.Id}/transitions"), token, new { to = "resolved", note = "settle" }), cancellationToken);
        }
    }

    private async Task<ApiAnswer?> SendAsync(string op, RiderModel? rider, Func<HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        var answer = await api.SendAsync(op, build, _deadline, cancellationToken);
        if (answer is null)
        {
            world.Unresolved.Enqueue($"{op} ({rider?.Id ?? "operator"})");
            world.Count(op, 0);
        }
        else
        {
            world.Count(op, answer.Status);
        }
        return answer;
    }

    private async Task<string> TokenAsync(string subject, string role, string? subdistrict, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var answer = await api.SendAsync("token", () => ApiClient.Json(HttpMethod.Post, Url("/api/v1/dev/tokens"), null,
            new { subject, role, subdistrict }), deadline, cancellationToken);
        return answer is { Ok: true }
            ? answer.Body.GetProperty("token").GetString()!
            : throw new InvalidOperationException($"no dev token for {subject}: {answer?.Status} {answer?.Body}");
    }

    private static (string, double, double, string)[] BuildSpots()
    {
        var subdistricts = SeedData.Subdistricts.Where(s => s.Id is "jianwai" or "chaowai" or "hujialou" or "sanlitun").ToList();
        var spots = new List<(string, double, double, string)>();
        for (var i = 0; i < subdistricts.Count * 2; i++)
        {
            var s = subdistricts[i % subdistricts.Count];
            // Spots 300 m apart: far beyond the 50 m duplicate radius from each other, close to the centre.
            var lat = s.Lat + (0.0027 * (i / subdistricts.Count));
            spots.Add((s.Id, lat, s.Lon, Categories[i % Categories.Length]));
        }
        return [.. spots];
    }
}
