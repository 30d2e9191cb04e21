using FriendlyChaoyang.Geo;
using Orleans.Concurrency;

namespace FriendlyChaoyang.Stations;

/// <summary>
/// Answers nearby searches from the silo's <see cref="StationIndexCopy"/>: the stations of the geo cells covering the
/// radius (inside the service area), nearest first. A search far from any station looks at no cell at all.
/// </summary>
[StatelessWorker]
public sealed class StationFinderGrain(StationIndexCopy index) : Grain, IStationFinderGrain
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
        var cells = await index.GetAsync();
        var found = new List<NearbyStation>();
        foreach (var key in covering)
        {
            if (!cells.TryGetValue(key, out var stations))
            {
                continue;
            }
            foreach (var station in stations)
            {
                if (station.Id == query.ExcludeStationId || !HasRoomFor(station, query.Need))
                {
                    continue;
                }
                var distanceM = GeoMath.DistanceM(query.Lat, query.Lon, station.Lat, station.Lon);
                if (distanceM <= query.RadiusM)
                {
                    found.Add(ToNearby(station, distanceM));
                }
            }
        }
        return [.. found
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
