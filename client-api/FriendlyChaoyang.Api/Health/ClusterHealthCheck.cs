using FriendlyChaoyang.Catalog;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FriendlyChaoyang.Api.Health;

/// <summary>Ready only when a silo answers a grain call quickly.</summary>
public sealed class ClusterHealthCheck(IClusterClient cluster) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var categories = await cluster.GetGrain<ICatalogGrain>(0).GetIssueCategoriesAsync()
                .WaitAsync(TimeSpan.FromSeconds(3), cancellationToken);
            return HealthCheckResult.Healthy($"{categories.Count} issue categories served by the cluster");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("No silo answered.", ex);
        }
    }
}
