using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FriendlyChaoyang.Seeds;

namespace FriendlyChaoyang.Bench;

/// <param name="Database">PostgreSQL connection string for the ports workload's write counts (optional).</param>
/// <param name="SiloPids">Silo process ids whose memory the ports workload reports (optional).</param>
/// <param name="CpuPids">Per target, the processes whose CPU time per op is reported, by group (optional; see <see cref="ProcessCpu"/>).</param>
public sealed record BenchOptions(
    string Api, IReadOnlyList<(string Name, string Url)> Targets, IReadOnlyList<string> Workloads,
    int Concurrency, int Riders, TimeSpan Duration, TimeSpan Warmup, string HotStation,
    string? Database = null, IReadOnlyList<int>? SiloPidList = null, ProcessCpu? CpuPids = null)
{
    public static BenchOptions Parse(string[] args)
    {
        string Get(string name, string fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        var api = Get("--api", "http://127.0.0.1:5080");
        var baseline = Get("--baseline", "http://127.0.0.1:5090");
        var concurrency = int.Parse(Get("--concurrency", "64"), CultureInfo.InvariantCulture);
        // --targets "A=http://...,B=http://..." compares two builds or settings of the API, run alternately.
        IReadOnlyList<(string, string)> targets = Get("--targets", "") is { Length: > 0 } list
            ? [.. list.Split(',').Select(t => t.Split('=', 2)).Select(t => (t[0], t[1]))]
            : [("FriendlyChaoyang (Orleans)", api), ("plain PostgreSQL row lock", baseline)];
        return new BenchOptions(
            api,
            targets,
            Get("--workloads", "hot,spread,nearby").Split(','),
            concurrency,
            concurrency,
            TimeSpan.FromSeconds(double.Parse(Get("--duration", "20"), CultureInfo.InvariantCulture)),
            TimeSpan.FromSeconds(double.Parse(Get("--warmup", "5"), CultureInfo.InvariantCulture)),
            Get("--hot-station", SeedData.Stations.MaxBy(s => s.Seats)!.Id),
            Get("--database", "") is { Length: > 0 } database ? database : null,
            [.. Get("--silo-pids", "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture))],
            Get("--cpu-pids", "") is { Length: > 0 } cpu ? ProcessCpu.Parse(cpu) : null);
    }

    public IReadOnlyList<int> SiloPids => SiloPidList ?? [];
}

/// <summary>
/// CPU time per op of each target's processes, read around a measured run: a per-op cost is far steadier than
/// throughput on this machine, whose speed drifts by 10-20% from minute to minute (docs/benchmarks.md, ninth look).
/// Given as "A.silo=12 13;A.api=14;B.silo=15;B.api=16" (target.group=pids).
/// </summary>
public sealed class ProcessCpu(IReadOnlyDictionary<string, IReadOnlyDictionary<string, int[]>> pids)
{
    public static ProcessCpu Parse(string text) => new(text.Split(';', StringSplitOptions.RemoveEmptyEntries)
        .Select(entry => entry.Split('=', 2))
        .Select(kv => (Name: kv[0].Split('.', 2), Pids: kv[1].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray()))
        .GroupBy(e => e.Name[0])
        .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, int[]>)g.ToDictionary(e => e.Name[1], e => e.Pids)));

    /// <summary>CPU time by group so far, for a target this run watches; null for any other.</summary>
    public Dictionary<string, TimeSpan>? Read(string target) =>
        pids.TryGetValue(target, out var groups)
            ? groups.ToDictionary(g => g.Key, g => g.Value.Aggregate(TimeSpan.Zero, (sum, pid) => sum + CpuTime(pid)))
            : null;

    /// <returns>"api 80.0 µs, silo 84.0 µs" per op between two readings.</returns>
    public static string PerOp(Dictionary<string, TimeSpan> before, Dictionary<string, TimeSpan> after, long ops) =>
        string.Join(", ", before.Keys.Order(StringComparer.Ordinal).Select(g => $"{g} {(after[g] - before[g]).TotalMicroseconds / Math.Max(1, ops):0.0} µs"));

    private static TimeSpan CpuTime(int pid)
    {
        using var process = Process.GetProcessById(pid);
        return process.TotalProcessorTime;
    }
}

public static class Requests
{
    /// <summary>One authenticated request, its body read (so the connection is reused); the status is the answer.</summary>
    public static async Task<HttpStatusCode> SendAsync(HttpClient http, HttpMethod method, string url, string token)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response.StatusCode;
    }
}

public static class Tokens
{
    /// <summary>One rider (and token) per worker, so no rider is ever used by two requests at once.</summary>
    public static async Task<string[]> IssueAsync(HttpClient http, string api, int riders)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var tokens = new string[riders];
        for (var i = 0; i < riders; i++)
        {
            using var response = await http.PostAsJsonAsync($"{api}/api/v1/dev/tokens", new { subject = $"bench-{run}-{i}", role = "rider" });
            response.EnsureSuccessStatusCode();
            tokens[i] = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        }
        return tokens;
    }
}

public static class Invariants
{
    /// <summary>After a run every rider has checked out again, so nobody may be left inside and nothing overbooked.</summary>
    public static async Task<string> CheckAsync(HttpClient http, string target, string baseUrl, IReadOnlyList<string> stations)
    {
        if (target.Contains("PostgreSQL", StringComparison.Ordinal))
        {
            var invariants = await http.GetFromJsonAsync<JsonElement>($"{baseUrl}/bench/invariants");
            return $"overbooked {invariants.GetProperty("overbooked").GetInt64()}, mismatched {invariants.GetProperty("mismatched").GetInt64()}";
        }
        long overbooked = 0, left = 0;
        foreach (var id in stations)
        {
            var station = await http.GetFromJsonAsync<JsonElement>($"{baseUrl}/api/v1/stations/{id}");
            var present = station.GetProperty("present").GetInt32();
            if (present > station.GetProperty("seats").GetProperty("total").GetInt32())
            {
                overbooked++;
            }
            left += present;
        }
        return $"overbooked {overbooked}, left inside {left}";
    }
}

public static class Report
{
    public static string Markdown(BenchOptions options, List<(string Workload, string Target, LoadResult Result, string Invariants)> results)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Concurrency {options.Concurrency} riders, {options.Duration.TotalSeconds:0} s per run after {options.Warmup.TotalSeconds:0} s warm-up; hot station {options.HotStation}.");
        text.AppendLine("An op is one check-in followed by its check-out (two durable HTTP requests; a 409 'full' ends the op after one), or one nearby query, " +
            $"or (registrations) one activity registration followed by its cancellation ({ActivityLoad.Seats} seats, the rest waitlisted). Latency is per op.");
        text.AppendLine();
        text.AppendLine("| workload | target | ops/s | p50 ms | p99 ms | 409 | errors | invariants after run |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---|");
        foreach (var (workload, target, r, invariants) in results)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {workload} | {target} | {r.OpsPerSecond:0} | {r.P50Ms:0.0} | {r.P99Ms:0.0} | {r.Conflicts} | {r.Errors} | {invariants} |");
        }
        text.AppendLine();
        foreach (var group in results.GroupBy(r => r.Workload).Where(g => g.Count() == 2))
        {
            var ours = group.First().Result.OpsPerSecond;
            var baseline = group.Last().Result.OpsPerSecond;
            text.AppendLine(CultureInfo.InvariantCulture, $"- {group.Key}: FriendlyChaoyang / baseline = {ours / baseline:0.00}x");
        }
        return text.ToString();
    }
}
