using FriendlyChaoyang.Health;
using FriendlyChaoyang.Seeds;
using FriendlyChaoyang.Stations;
using Microsoft.Extensions.Logging;

namespace FriendlyChaoyang.Silo.Seeding;

/// <summary>
/// Warms the district on silo start, before the silo's start completes: defines every seeded station (idempotent: an
/// unchanged definition writes nothing, so every silo runs it on every start) and then finds each one again through
/// the geo index. Only then does the silo report itself warm to the <see cref="IReadinessGrain"/>, which the API's
/// readiness check reads, so /readyz is 200 only when a rider's first nearby search and check-in find warm stations.
/// A failed call is retried, never fatal: on a slow, loaded machine grain calls time out during start, and a silo
/// that gave up starting over that would take the whole local cluster with it.
/// </summary>
public sealed class SeedLoader(IGrainFactory grains, string siloName, ILogger<SeedLoader> logger)
    : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ReportPeriod = TimeSpan.FromSeconds(3);

    private readonly CancellationTokenSource _stopping = new();
    private Task _reporting = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SeedLoader), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        // Off the lifecycle's scheduler: these are ordinary grain calls.
        var warmth = await Task.Run(() => WarmAsync(cancellationToken), cancellationToken);
        await RetryAsync("reporting warm", async () =>
        {
            await grains.GetGrain<IReadinessGrain>(0).ReportWarmAsync(warmth);
            return true;
        }, cancellationToken);
        _reporting = Task.Run(() => ReportAsync(warmth, _stopping.Token), CancellationToken.None);
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _reporting;
    }

    public void Dispose() => _stopping.Dispose();

    public async Task<Warmth> WarmAsync(CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        await DefineAsync(SeedData.Stations, cancellationToken);
        logger.LogInformation("Seed stations defined: {Count} in {Elapsed}", SeedData.Stations.Count, TimeProvider.System.GetElapsedTime(started));

        // A station publishes itself to its geo cell one-way, and a cell can lose it (a cell activated twice while silos
        // join keeps only one activation's state), and this silo's finder may hold a directory read from before the last
        // cell appeared. So search until every station is found where it stands, defining the missing ones again:
        // an unchanged definition writes nothing but publishes the station to its cell once more.
        var missing = SeedData.Stations.ToList();
        while (true)
        {
            var found = await Task.WhenAll(missing.Select(async s => (Station: s, Found: await RetryAsync(
                $"finding station {s.Id}", () => IsIndexedAsync(s.Id, s.Lat, s.Lon), cancellationToken))));
            missing = [.. found.Where(f => !f.Found).Select(f => f.Station)];
            if (missing.Count == 0)
            {
                break;
            }
            logger.LogInformation("Geo index not warm yet: {Missing} stations not found, e.g. {Station}; publishing them again", missing.Count, missing[0].Id);
            await Task.Delay(RetryDelay, cancellationToken);
            await DefineAsync(missing, cancellationToken);
        }
        var elapsed = TimeProvider.System.GetElapsedTime(started);
        logger.LogInformation("Warm: {Count} stations defined and indexed in {Elapsed}", SeedData.Stations.Count, elapsed);
        return new Warmth(SeedData.Stations.Count, DateTimeOffset.UtcNow, siloName);
    }

    private Task DefineAsync(IEnumerable<StationDefinition> stations, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(
            stations,
            new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (definition, ct) => await RetryAsync($"defining station {definition.Id}", async () =>
            {
                await grains.GetGrain<IStationGrain>(definition.Id).DefineAsync(definition);
                return true;
            }, ct));

    private async Task<bool> IsIndexedAsync(string stationId, double lat, double lon)
    {
        var nearest = await grains.GetGrain<IStationFinderGrain>(0).FindNearbyAsync(
            new NearbyQuery(lat, lon, RadiusM: 100, NearbyLimits.MaxLimit, StationNeed.Any));
        return nearest.Any(s => s.Id == stationId);
    }

    /// <summary>Every few seconds, so a readiness grain lost with a silo is told again.</summary>
    private async Task ReportAsync(Warmth warmth, CancellationToken stopping)
    {
        while (true)
        {
            try
            {
                await Task.Delay(ReportPeriod, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                await grains.GetGrain<IReadinessGrain>(0).ReportWarmAsync(warmth);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogDebug(ex, "Could not report warmth; trying again");
            }
        }
    }

    private async Task<T> RetryAsync<T>(string what, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("Attempt {Attempt} at {What} failed ({Error}); retrying", attempt, what, ex.Message);
                await Task.Delay(RetryDelay, cancellationToken);
            }
        }
    }
}
