using FriendlyChaoyang.Catalog;
using FriendlyChaoyang.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FriendlyChaoyang.Api.Health;

/// <summary>
/// Ready only when a silo answers a grain call quickly and some silo has warmed the district: every seeded station
/// defined and found through the geo index (silo/Seeding/SeedLoader). Before that, a rider's first requests would
/// wait on 791 stations activating, so the API is not ready.
/// </summary>
public sealed class ClusterHealthCheck(IClusterClient cluster) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var categories = await cluster.GetGrain<ICatalogGrain>(0).GetIssueCategoriesAsync()
                .WaitAsync(TimeSpan.FromSeconds(3), cancellationToken);
            var warmth = await cluster.GetGrain<IReadinessGrain>(0).GetWarmthAsync()
                .WaitAsync(TimeSpan.FromSeconds(3), cancellationToken);
            return warmth is null
                ? HealthCheckResult.Unhealthy("The cluster answers but is still warming its stations.")
                : HealthCheckResult.Healthy($"{categories.Count} issue categories; {warmth.Stations} stations warm since {warmth.WarmedAt:O} ({warmth.Silo})");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("No silo answered.", ex);
        }
    }
}
