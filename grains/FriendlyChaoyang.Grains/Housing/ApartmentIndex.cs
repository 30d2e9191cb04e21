using FriendlyChaoyang.Geo;
using FriendlyChaoyang.Persistence;
using FriendlyChaoyang.Stations;
using Orleans.Concurrency;

namespace FriendlyChaoyang.Housing;

/// <summary>
/// The housing search index reuses the stations' geo machinery: the same fixed grid (<see cref="GeoGrid"/>) and a
/// <see cref="IGeoCellDirectoryGrain"/> of its own (this key; the stations' is 0), so a search asks only the cells that
/// hold apartments.
/// </summary>
public static class HousingIndex
{
    public const long DirectoryKey = 1;
}

[GenerateSerializer, Alias("fc.ApartmentCellState")]
public sealed class ApartmentCellState
{
    [Id(0)] public Dictionary<string, ApartmentPin> Pins { get; set; } = [];
}

/// <summary>One grid cell's apartment pins. Pins never change (an apartment's place and rent are fixed at listing), so the cell writes only when one is added.</summary>
public sealed class ApartmentCellGrain(
    [PersistentState("apartmentCell", StorageNames.Default)] IPersistentState<ApartmentCellState> state) : Grain, IApartmentCellGrain
{
    public async Task AddAsync(ApartmentPin pin)
    {
        ArgumentNullException.ThrowIfNull(pin);
        if (state.State.Pins.TryAdd(pin.Id, pin))
        {
            await state.WriteOrDeactivateAsync(this);
        }
    }

    public Task<IReadOnlyList<PinDistance>> QueryAsync(ApartmentQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        IReadOnlyList<PinDistance> found = [.. state.State.Pins.Values
            .Where(p => query.MaxRent is not { } cap || p.RentMonthly <= cap)
            .Select(p => new PinDistance(p, GeoMath.DistanceM(query.Lat, query.Lon, p.Lat, p.Lon)))
            .Where(p => p.DistanceM <= query.RadiusM)];
        return Task.FromResult(found);
    }
}

/// <summary>
/// Answers nearby searches: the occupied cells covering the radius give the pins, nearest first; only the apartments on
/// the requested page are asked for their live beds and line.
/// </summary>
[StatelessWorker]
public sealed class ApartmentFinderGrain : Grain, IApartmentFinderGrain
{
    public async Task<IReadOnlyList<NearbyApartment>> FindAsync(ApartmentQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        query = query with { RadiusM = Math.Min(query.RadiusM, NearbyLimits.MaxRadiusM) };
        var covering = GeoGrid.CellsCovering(query.Lat, query.Lon, query.RadiusM);
        if (covering.Count == 0)
        {
            return [];
        }
        var occupied = (await GrainFactory.GetGrain<IGeoCellDirectoryGrain>(HousingIndex.DirectoryKey).ListAsync()).ToHashSet(StringComparer.Ordinal);
        var perCell = await Task.WhenAll(covering.Where(occupied.Contains).Select(key => GrainFactory.GetGrain<IApartmentCellGrain>(key).QueryAsync(query)));
        var page = perCell.SelectMany(c => c)
            .OrderBy(p => p.DistanceM)
            .ThenBy(p => p.Pin.Id, StringComparer.Ordinal)
            .Skip((query.Page - 1) * query.PageSize)
            .Take(query.PageSize)
            .ToList();
        var views = await Task.WhenAll(page.Select(p => GrainFactory.GetGrain<IApartmentGrain>(p.Pin.Id).GetAsync()));
        // A pin whose apartment never stored (its listing failed after the index took it) has no view.
        return [.. page.Zip(views).Where(p => p.Second is not null).Select(p => Nearby(p.Second!, p.First.DistanceM))];
    }

    private static NearbyApartment Nearby(ApartmentView a, double distanceM) =>
        new(a.Id, a.Name, a.SubdistrictId, a.Lat, a.Lon, distanceM, a.RentMonthly, a.Beds, a.Waiting, a.Amenities);
}
