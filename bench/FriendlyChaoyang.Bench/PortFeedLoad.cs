using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FriendlyChaoyang.Seeds;
using Npgsql;

namespace FriendlyChaoyang.Bench;

/// <summary>
/// The "ports" workload (issue 16): the district's 278,500 charging ports and swap slots spread over the 791 stations, each
/// reporting once a minute (~4,600 updates/s), sent as a partner would: one PATCH per station every
/// <see cref="BatchPeriod"/> carrying the ports due in that slice of the minute. Measures rider nearby latency first without
/// the feed, then with it running, plus the feed's own latency, PostgreSQL writes/s and the silos' memory. FriendlyChaoyang only.
/// </summary>
public static class PortFeedLoad
{
    public const string Workload = "ports";
    public const int ChargingPorts = 254_900;
    public const int SwapPorts = 23_600;
    public static readonly TimeSpan ReportPeriod = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan BatchPeriod = TimeSpan.FromSeconds(5);

    public static async Task<string> RunAsync(HttpClient http, BenchOptions options, Func<Random, Task<HttpStatusCode>> nearby)
    {
        var stations = SeedData.Stations.Select(s => s.Id).ToArray();
        var ports = PortsPerStation(stations);
        var key = await IssueKeyAsync(http, options.Api);

        Console.Error.WriteLine($"ports: nearby without the feed, {options.Duration.TotalSeconds:0} s");
        await LoadRunner.RunAsync(options.Concurrency, options.Warmup, (_, r) => nearby(r));
        var quiet = await LoadRunner.RunAsync(options.Concurrency, options.Duration, (_, r) => nearby(r));

        Console.Error.WriteLine($"ports: registering {ports.Sum(p => p.Length)} ports at {stations.Length} stations");
        await Parallel.ForEachAsync(stations.Index(), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (station, _) =>
            await SendAsync(http, HttpMethod.Put, options.Api, key, station.Item, Reports(ports[station.Index], new Random(station.Index))));

        Console.Error.WriteLine($"ports: feed + nearby, warming up {options.Warmup.TotalSeconds:0} s, measuring {options.Duration.TotalSeconds:0} s");
        using var stop = new CancellationTokenSource();
        var latencies = new ConcurrentQueue<double>();
        long updates = 0, failures = 0;
        var feeds = stations.Select((station, i) => FeedStationAsync(http, options.Api, key, station, ports[i], i, stations.Length, latencies,
            accepted => Interlocked.Add(ref updates, accepted), () => Interlocked.Increment(ref failures), stop.Token)).ToList();
        await Task.Delay(options.Warmup);
        latencies.Clear();
        var (updatesBefore, writesBefore) = (Interlocked.Read(ref updates), await DatabaseWritesAsync(options.Database));
        var clock = Stopwatch.StartNew();
        var busy = await LoadRunner.RunAsync(options.Concurrency, options.Duration, (_, r) => nearby(r));
        var seconds = clock.Elapsed.TotalSeconds;
        var (updatesAfter, writesAfter) = (Interlocked.Read(ref updates), await DatabaseWritesAsync(options.Database));
        var memory = SiloMemory(options.SiloPids);
        await stop.CancelAsync();
        await Task.WhenAll(feeds);

        var sorted = latencies.Order().ToArray();
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Ports: {ports.Sum(p => p.Length)} ports at {stations.Length} stations, each reported once a minute in one PATCH per station every {BatchPeriod.TotalSeconds:0} s; nearby with {options.Concurrency} riders.");
        text.AppendLine();
        text.AppendLine("| measure | value |");
        text.AppendLine("|---|---:|");
        text.AppendLine(CultureInfo.InvariantCulture, $"| port updates/s accepted | {(updatesAfter - updatesBefore) / seconds:0} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| feed requests p50 / p99 ms | {LoadRunner.Percentile(sorted, 0.50):0.0} / {LoadRunner.Percentile(sorted, 0.99):0.0} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| feed requests failed | {Interlocked.Read(ref failures)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| nearby ops/s, p99 ms without the feed | {quiet.OpsPerSecond:0}, {quiet.P99Ms:0.0} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| nearby ops/s, p99 ms with the feed | {busy.OpsPerSecond:0}, {busy.P99Ms:0.0} ({(busy.P99Ms / quiet.P99Ms - 1) * 100:+0;-0}%) |");
        text.AppendLine(writesBefore is { } wb && writesAfter is { } wa
            ? string.Create(CultureInfo.InvariantCulture, $"| PostgreSQL grain-state row writes/s, commits/s | {(wa.Rows - wb.Rows) / seconds:0}, {(wa.Commits - wb.Commits) / seconds:0} |")
            : "| PostgreSQL writes/s | (pass --database) |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| silo memory (RSS) | {memory} |");
        return text.ToString();
    }

    /// <summary>278,500 ports dealt round the stations; swap slots first at every 12th port or so, as the district's ratio.</summary>
    private static string[][] PortsPerStation(string[] stations)
    {
        var total = ChargingPorts + SwapPorts;
        var perStation = new List<string>[stations.Length];
        for (var i = 0; i < stations.Length; i++)
        {
            perStation[i] = [];
        }
        for (var p = 0; p < total; p++)
        {
            var kind = (long)p * SwapPorts / total != (long)(p + 1) * SwapPorts / total ? "s" : "c";
            perStation[p % stations.Length].Add($"{kind}{p}");
        }
        return [.. perStation.Select(l => l.ToArray())];
    }

    /// <summary>One station's partner: every batch period, the slice of its ports due in that part of the minute.</summary>
    private static async Task FeedStationAsync(HttpClient http, string api, string key, string station, string[] ports, int index, int stations,
        ConcurrentQueue<double> latencies, Action<int> accepted, Action failed, CancellationToken stop)
    {
        var slices = (int)(ReportPeriod / BatchPeriod);
        var random = new Random(index);
        try
        {
            await Task.Delay(BatchPeriod * index / stations, stop);
            using var timer = new PeriodicTimer(BatchPeriod);
            for (var tick = 0; !stop.IsCancellationRequested; tick++)
            {
                var slice = ports.Where((_, i) => i % slices == tick % slices).ToArray();
                var started = Stopwatch.GetTimestamp();
                var (status, count) = await SendAsync(http, HttpMethod.Patch, api, key, station, Reports(slice, random));
                latencies.Enqueue(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (status == HttpStatusCode.OK)
                {
                    accepted(count);
                }
                else
                {
                    failed();
                }
                await timer.WaitForNextTickAsync(stop);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static object Reports(string[] ports, Random random)
    {
        var at = DateTimeOffset.UtcNow;
        return new
        {
            ports = ports.Select(id => id[0] == 's'
                ? new { portId = id, kind = "swap", status = random.Next(3) switch { 0 => "empty", 1 => "occupied", _ => "charged" }, at }
                : new { portId = id, kind = "charging", status = random.Next(2) == 0 ? "available" : "occupied", at }),
        };
    }

    private static async Task<(HttpStatusCode Status, int Accepted)> SendAsync(HttpClient http, HttpMethod method, string api, string key, string station, object body)
    {
        try
        {
            using var request = new HttpRequestMessage(method, $"{api}/api/v1/partners/stations/{station}/ports") { Content = JsonContent.Create(body) };
            request.Headers.Add("X-Api-Key", key);
            using var response = await http.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                await response.Content.LoadIntoBufferAsync();
                return (response.StatusCode, 0);
            }
            var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
            return (response.StatusCode, answer.GetProperty("accepted").GetInt32());
        }
        catch (HttpRequestException)
        {
            return (HttpStatusCode.ServiceUnavailable, 0);
        }
    }

    private static async Task<string> IssueKeyAsync(HttpClient http, string api)
    {
        using var token = await http.PostAsJsonAsync($"{api}/api/v1/dev/tokens", new { subject = "bench-admin", role = "admin" });
        token.EnsureSuccessStatusCode();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{api}/api/v1/admin/api-keys")
        {
            Content = JsonContent.Create(new { name = "Bench port feed", platform = $"bench-{Guid.NewGuid():N}"[..20] }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString());
        using var created = await http.SendAsync(request);
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
    }

    /// <summary>Rows written to the grain-state table and commits in the database so far (PostgreSQL's statistics).</summary>
    private static async Task<(long Rows, long Commits)?> DatabaseWritesAsync(string? connectionString)
    {
        if (connectionString is null)
        {
            return null;
        }
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT (SELECT coalesce(sum(n_tup_ins + n_tup_upd), 0) FROM pg_stat_user_tables WHERE relname = 'orleansstorage')::bigint,
                   (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database())::bigint
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static string SiloMemory(IReadOnlyList<int> pids)
    {
        if (pids.Count == 0)
        {
            return "(pass --silo-pids)";
        }
        var rss = pids.Select(pid => File.Exists($"/proc/{pid}/status")
            ? File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]
            : null);
        return string.Join(", ", rss.Select(kb => kb is null ? "?" : $"{long.Parse(kb, CultureInfo.InvariantCulture) / 1024} MiB"));
    }
}
