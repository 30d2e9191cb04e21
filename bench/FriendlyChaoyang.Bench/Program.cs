using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FriendlyChaoyang.Bench;
using FriendlyChaoyang.Bench.Peak;
using FriendlyChaoyang.Seeds;

// Drives the REST API with many concurrent riders and reports throughput and latency, side by side for
// FriendlyChaoyang and the plain-PostgreSQL baseline. See bench/run.sh, which starts both; bench/peak.sh runs the
// lunch-peak modes (--mode peak|first|memory|table).
if (PeakOptions.Parse(args) is { } peakOptions)
{
    await PeakProgram.RunAsync(peakOptions);
    return;
}
var options = BenchOptions.Parse(args);
using var http = new HttpClient(new SocketsHttpHandler
{
    MaxConnectionsPerServer = options.Concurrency * 2,
    PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
})
{ Timeout = TimeSpan.FromSeconds(30) };

var riders = await Tokens.IssueAsync(http, options.Api, options.Riders);
var hot = options.HotStation;
var stations = SeedData.Stations.Select(s => s.Id).ToArray();
var results = new List<(string Workload, string Target, LoadResult Result, string Invariants)>();
var portReports = new List<string>();

foreach (var workload in options.Workloads)
{
    if (workload == PortFeedLoad.Workload)
    {
        portReports.Add(await PortFeedLoad.RunAsync(http, options, random => NearbyAsync(options.Api, random)));
        continue;
    }
    foreach (var (name, baseUrl) in options.Targets)
    {
        if (workload == ActivityLoad.Workload && baseUrl != options.Api)
        {
            continue; // The baseline has no activities.
        }
        var activity = workload == ActivityLoad.Workload ? await ActivityLoad.PublishAsync(http, baseUrl, hot) : null;
        Func<int, Random, Task<HttpStatusCode>>? step = workload switch
        {
            "hot" => (worker, random) => CheckInOutAsync(baseUrl, riders[worker], hot),
            "spread" => (worker, random) => CheckInOutAsync(baseUrl, riders[worker], stations[random.Next(stations.Length)]),
            "nearby" => (worker, random) => NearbyAsync(baseUrl, random),
            ActivityLoad.Workload => (worker, random) => ActivityLoad.RegisterAndCancelAsync(http, baseUrl, riders[worker], activity!),
            _ => throw new ArgumentException($"unknown workload {workload}"),
        };
        Console.Error.WriteLine($"{workload} / {name}: warming up {options.Warmup.TotalSeconds:0} s, measuring {options.Duration.TotalSeconds:0} s");
        await LoadRunner.RunAsync(options.Concurrency, options.Warmup, step);
        var cpuBefore = options.CpuPids?.Read(name);
        var result = await LoadRunner.RunAsync(options.Concurrency, options.Duration, step);
        var cpu = cpuBefore is null ? null : ProcessCpu.PerOp(cpuBefore, options.CpuPids!.Read(name)!, result.Ops);
        var invariants = workload switch
        {
            "nearby" => "n/a",
            ActivityLoad.Workload => await ActivityLoad.CheckAsync(http, baseUrl, hot, activity!),
            _ => await Invariants.CheckAsync(http, name, baseUrl, workload == "hot" ? [hot] : stations),
        };
        results.Add((workload, name, result, invariants));
        Console.Error.WriteLine($"  {result.OpsPerSecond:0} ops/s, p50 {result.P50Ms:0.0} ms, p99 {result.P99Ms:0.0} ms, errors {result.Errors}, {invariants}"
            + (cpu is null ? "" : $"; CPU per op: {cpu}"));
    }
}

if (results.Count > 0)
{
    Console.WriteLine(Report.Markdown(options, results));
}
portReports.ForEach(Console.WriteLine);

// One unit of work = check in, then check out (two requests, both durable). 409 "full" counts as an answer.
async Task<HttpStatusCode> CheckInOutAsync(string baseUrl, string token, string stationId)
{
    var checkIn = await Requests.SendAsync(http, HttpMethod.Post, $"{baseUrl}/api/v1/stations/{stationId}/check-ins", token);
    if (checkIn != HttpStatusCode.OK)
    {
        return checkIn;
    }
    return await Requests.SendAsync(http, HttpMethod.Post, $"{baseUrl}/api/v1/stations/{stationId}/check-out", token);
}

async Task<HttpStatusCode> NearbyAsync(string baseUrl, Random random)
{
    var lat = (39.85 + random.NextDouble() * 0.2).ToString(CultureInfo.InvariantCulture);
    var lon = (116.40 + random.NextDouble() * 0.25).ToString(CultureInfo.InvariantCulture);
    using var response = await http.GetAsync($"{baseUrl}/api/v1/stations/nearby?lat={lat}&lon={lon}&radius=3000&limit=10");
    await response.Content.LoadIntoBufferAsync();
    return response.StatusCode;
}
