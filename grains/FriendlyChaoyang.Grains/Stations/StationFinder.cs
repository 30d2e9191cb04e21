namespace FriendlyChaoyang.Stations;

/// <summary>Answers nearby searches by fanning out to the geo cells covering the radius and merging their nearest.</summary>
[Orleans.Concurrency.StatelessWorker]
public sealed class StationFinder : Grain, IStationFinderGrain
{
    public async Task<IReadOnlyList<NearbyStation>> FindNearbyAsync(NearbyQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var perCell = await Task.WhenAll(GeoGrid.CellsCovering(query.Lat, query.Lon, query.RadiusM)
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
