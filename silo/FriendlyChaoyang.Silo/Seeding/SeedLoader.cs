using FriendlyChaoyang.Seeds;
using FriendlyChaoyang.Stations;
using Microsoft.Extensions.Logging;

namespace FriendlyChaoyang.Silo.Seeding;

/// <summary>
/// Defines every seeded station on silo start. Idempotent: a station whose definition is unchanged writes nothing,
/// so every silo can run it on every start.
/// </summary>
public sealed class SeedLoader(IGrainFactory grains, ILogger<SeedLoader> logger) : IStartupTask
{
    public async Task Execute(CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        await Parallel.ForEachAsync(
            SeedData.Stations,
            new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken },
            async (definition, _) => await grains.GetGrain<IStationGrain>(definition.Id).DefineAsync(definition));
        logger.LogInformation("Seed stations defined: {Count} in {Elapsed}", SeedData.Stations.Count, TimeProvider.System.GetElapsedTime(started));
    }
}
