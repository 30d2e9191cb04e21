using System.Globalization;
using FriendlyChaoyang.Chaos;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

// The fault-injection suite: see tools/chaos.sh (which starts PostgreSQL and builds) and docs/operations.md.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
ChaosOptions options;
try
{
    options = ChaosOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

var started = DateTimeOffset.UtcNow;
void Log(string text) => Console.WriteLine($"[{(DateTimeOffset.UtcNow - started).TotalSeconds,6:0.0}s] {text}");

using var hardStop = new CancellationTokenSource(options.HardTimeout);
hardStop.Token.Register(() => Log($"HARD TIMEOUT after {options.HardTimeout.TotalSeconds:0} s: stopping everything"));
var plan = FaultInjector.Plan(options);
Log($"seed {options.Seed}, {options.Silos} silos, workload {options.Duration.TotalSeconds:0} s, {options.Workers} workers, {options.Riders} riders; API {options.ApiUrl}, " +
    (options.Hosts is null ? $"silo ports {options.SiloPortBase}+i, gateways {options.GatewayPortBase}+i" : "silo port 11111 and gateway 30000 on each silo's host"));
Log("fault plan: " + string.Join("; ", plan.Select(f => $"t={f.At:0.0}s {f.Kind}{(f.Kind is FaultKind.SiloKill or FaultKind.SiloIsolated or FaultKind.SiloDatabaseCut or FaultKind.ApiGatewayCut ? $" {options.SiloLabel(f.Silo)}" : "")} {f.Length.TotalSeconds:0}s")));
if (options.Hosts is { } network)
{
    Log($"on hosts: db {network.Address(HostNetwork.Db)}, api {network.Address(HostNetwork.Api)}, " +
        string.Join(", ", Enumerable.Range(0, options.Silos).Select(i => $"{HostNetwork.Silo(i)} {network.Address(HostNetwork.Silo(i))}")));
}

var failures = new List<string>();
await using (var system = new SystemUnderTest(options, Log))
{
    try
    {
        await system.StartAsync(hardStop.Token);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, ConnectTimeout = TimeSpan.FromSeconds(5) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var setup = new Observations();
        var world = new WorldModel();
        await WaitReadyAsync(http, options.ApiUrl, hardStop.Token);
        Log("cluster and API ready");
        await new Workload(options, new ApiClient(http, setup), world, setup, Log).PrepareAsync(hardStop.Token);

        var observations = new Observations();
        system.Watch = observations;
        var workload = new Workload(options, new ApiClient(http, observations), world, observations, Log);
        var settleDeadline = DateTimeOffset.UtcNow + options.Duration + TimeSpan.FromSeconds(90);
        using var probeStop = CancellationTokenSource.CreateLinkedTokenSource(hardStop.Token);
        var probe = ProbeReadinessAsync(http, options.ApiUrl, observations, probeStop.Token);
        var faults = new FaultInjector(system, options.Hosts, observations, Log).RunAsync(plan, 0, hardStop.Token);
        Log("workload running");
        await workload.RunAsync(options.Duration.TotalSeconds, settleDeadline, hardStop.Token);
        await faults;
        var workloadEnd = observations.Now;
        Log($"workload done at t={workloadEnd:0.0}s; settling");

        // Settle: every silo up, undelivered awards pushed, then the invariants (awards may still be in flight: poll).
        for (var i = 0; i < system.SiloCount; i++)
        {
            if (!system.IsSiloRunning(i))
            {
                system.StartSilo(i);
            }
        }
        await system.WaitForMembershipAsync(system.SiloCount, hardStop.Token);
        await workload.NudgeResolvedAsync(hardStop.Token);
        await probeStop.CancelAsync();
        await probe;

        Report.Faults(observations, workloadEnd, Log, failures);
        Report.Workload(world, observations, Log, failures);

        var results = await CheckWithClientAsync(options, world, Log, hardStop.Token);
        Report.Invariants(results, Log, failures);
    }
    catch (Exception ex) when (ex is not OutOfMemoryException)
    {
        Log($"ABORTED: {ex.GetType().Name}: {ex.Message}");
        failures.Add($"aborted: {ex.Message}");
    }
    Log("stopping the processes this run started");
}

Log(failures.Count == 0
    ? $"CHAOS PASSED (seed {options.Seed}) in {(DateTimeOffset.UtcNow - started).TotalSeconds:0} s"
    : $"CHAOS FAILED (seed {options.Seed}): {failures.Count} problem(s):\n  - " + string.Join("\n  - ", failures));
return failures.Count == 0 ? 0 : 1;

static async Task WaitReadyAsync(HttpClient http, string api, CancellationToken cancellationToken)
{
    for (var i = 0; i < 180; i++)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            using var response = await http.GetAsync($"{api}/readyz", timeout.Token);
            if (response.IsSuccessStatusCode)
            {
                return;
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
        }
        await Task.Delay(1000, cancellationToken);
    }
    throw new TimeoutException("the API was not ready within 180 s");
}

static async Task ProbeReadinessAsync(HttpClient http, string api, Observations observations, CancellationToken cancellationToken)
{
    while (!cancellationToken.IsCancellationRequested)
    {
        var at = observations.Now;
        var status = 0;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            using var response = await http.GetAsync($"{api}/readyz", timeout.Token);
            status = (int)response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
        }
        if (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        observations.RecordReadiness(at, status);
        try
        {
            await Task.Delay(1000, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }
    }
}

static async Task<IReadOnlyList<CheckResult>> CheckWithClientAsync(ChaosOptions options, WorldModel world, Action<string> log, CancellationToken cancellationToken)
{
    var builder = Host.CreateApplicationBuilder();
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    builder.UseOrleansClient(client =>
    {
        client.UseAdoNetClustering(o =>
        {
            o.Invariant = "Npgsql";
            o.ConnectionString = options.ConnectionString;
        });
        client.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = ChaosOptions.ClusterId;
            o.ServiceId = ChaosOptions.ClusterId;
        });
        client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(30));
    });
    using var host = builder.Build();
    await host.StartAsync(cancellationToken);
    var grains = host.Services.GetRequiredService<IClusterClient>();
    var checker = new InvariantChecker(grains, world, [.. Workload.Stations.Select(s => s.Id)]);
    // Awards and notifications are delivered by the issue's outbox (retried by reminder): give them a bounded time.
    var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(options.ShortRun ? 45 : 90);
    IReadOnlyList<CheckResult> results;
    var round = 1;
    while (true)
    {
        results = await checker.CheckAsync();
        if (results.All(r => r.Passed) || DateTimeOffset.UtcNow > deadline)
        {
            break;
        }
        log($"invariant round {round++}: {results.Count(r => !r.Passed)} check(s) not yet holding; re-checking in 5 s");
        await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
    }
    log($"invariants read through an Orleans client (ADO.NET clustering, cluster '{ChaosOptions.ClusterId}') after {round} round(s)");
    await host.StopAsync(CancellationToken.None);
    return results;
}
