using Orleans.Concurrency;

namespace FriendlyChaoyang.Stations;

/// <summary>
/// Answers nearby searches by fanning out to the occupied geo cells covering the radius (inside the service area) and
/// merging their nearest. A search far from any station therefore activates no grain at all.
/// </summary>
[StatelessWorker]
public sealed class StationFinderGrain(OccupiedCells occupied) : Grain, IStationFinderGrain
{
    public async Task<IReadOnlyList<NearbyStation>> FindNearbyAsync(NearbyQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        query = query with { RadiusM = Math.Min(query.RadiusM, NearbyLimits.MaxRadiusM) };
        var covering = GeoGrid.CellsCovering(query.Lat, query.Lon, query.RadiusM);
        if (covering.Count == 0 || query.Limit <= 0)
        {
            return [];
        }
        var cells = await occupied.GetAsync();
        var perCell = await Task.WhenAll(covering.Where(cells.Contains)
            .Select(key => GrainFactory.GetGrain<IGeoCellGrain>(key).QueryAsync(query)));
        return [.. perCell.SelectMany(c => c)
            .OrderBy(s => s.DistanceM)
            .ThenBy(s => s.Id, StringComparer.Ordinal)
            .Take(query.Limit)];
    }

    public static bool HasRoomFor(StationSnapshot station, StationNeed need) => need switch
    {
        StationNeed.Seat => station.Seats.Free > 0,
        // Charging uses a seat too.
        StationNeed.Charging => station.Charging.Free > 0 && station.Seats.Free > 0,
        StationNeed.Swap => station.Swap.Free > 0,
        _ => true,
    };

    public static NearbyStation ToNearby(StationSnapshot s, double distanceM) =>
        new(s.Id, s.Name, s.SubdistrictId, s.Lat, s.Lon, distanceM, s.Open24h, s.Seats, s.Charging, s.Swap);
}
