using FriendlyChaoyang.Stations;
using Orleans.Concurrency;

namespace FriendlyChaoyang.Activities;

/// <summary>
/// Answers calendar searches from the stations' own calendars: one station's, or those of the nearest stations the
/// station finder returns. Only the activities on the requested page are asked for their live counts, so a search never
/// touches activities elsewhere in the city or outside the time window.
/// </summary>
[StatelessWorker]
public sealed class ActivityFinderGrain : Grain, IActivityFinderGrain
{
    public async Task<IReadOnlyList<ActivityView>> FindAsync(ActivityQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var stationIds = query.StationId is { } stationId ? [stationId] : await NearbyStationIdsAsync(query);
        var calendars = await Task.WhenAll(stationIds.Select(id => GrainFactory.GetGrain<IStationGrain>(id).ListActivitiesAsync(query.From, query.To)));
        var page = calendars.SelectMany(c => c)
            .OrderBy(a => a.StartsAt)
            .ThenBy(a => a.Id, StringComparer.Ordinal)
            .Skip((query.Page - 1) * query.PageSize)
            .Take(query.PageSize);
        var views = await Task.WhenAll(page.Select(a => GrainFactory.GetGrain<IActivityGrain>(a.Id).GetAsync()));
        // An id whose activity never stored (its create failed after the station listed it) has no view.
        return [.. views.OfType<ActivityView>()];
    }

    private async Task<IReadOnlyList<string>> NearbyStationIdsAsync(ActivityQuery query)
    {
        var stations = await GrainFactory.GetGrain<IStationFinderGrain>(0).FindNearbyAsync(
            new NearbyQuery(query.Lat!.Value, query.Lon!.Value, query.RadiusM, ActivityLimits.MaxStations, StationNeed.Any));
        return [.. stations.Select(s => s.Id)];
    }
}
