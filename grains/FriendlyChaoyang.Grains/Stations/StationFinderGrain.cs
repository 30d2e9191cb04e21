using Orleans.Concurrency;

namespace FriendlyChaoyang.Stations;

/// <summary>
/// The grains' nearby search (a full station's alternatives, activities near a rider), answered from the silo's
/// <see cref="StationIndexCopy"/>. The REST API's nearby searches its own copy the same way.
/// </summary>
[StatelessWorker]
public sealed class StationFinderGrain(StationIndexCopy index) : Grain, IStationFinderGrain
{
    public async Task<IReadOnlyList<NearbyStation>> FindNearbyAsync(NearbyQuery query) => await index.FindNearbyAsync(query);
}
