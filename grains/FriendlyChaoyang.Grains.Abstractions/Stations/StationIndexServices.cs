using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FriendlyChaoyang.Stations;

public static class StationIndexServices
{
    /// <summary>The process's copy of the station index and its options (the "Stations" section), for a silo or a client.</summary>
    public static IServiceCollection AddStationIndexCopy(this IServiceCollection services)
    {
        services.AddOptions<StationIndexOptions>().BindConfiguration(StationIndexOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<OccupiedCells>();
        services.AddSingleton<StationIndexCopy>();
        return services;
    }
}
