namespace FriendlyChaoyang.Stations;

/// <summary>One rest station, keyed by its id (e.g. "cy-shuangjing-007"); the single writer of its seats and ports.</summary>
[Alias("fc.IStationGrain")]
public interface IStationGrain : IGrainWithStringKey
{
    /// <summary>Creates or updates the station from its seed. Writes only when something changed.</summary>
    [Alias("Define")]
    Task DefineAsync(StationDefinition definition);

    /// <returns>The live view, or null for a station that was never defined.</returns>
    [Alias("Get")]
    Task<StationSnapshot?> GetAsync();

    /// <summary>Admits a rider (idempotent: a rider already in gets the same check-in back).</summary>
    [Alias("Admit")]
    Task<CheckInResult> AdmitAsync(string riderId, bool charging);

    [Alias("Release")]
    Task<CheckOutResult> ReleaseAsync(string riderId);

    [Alias("GetPresentRiders")]
    Task<IReadOnlyList<string>> GetPresentRidersAsync();
}

/// <summary>
/// Finds stations near a point by fanning out to the few geo cells that cover the radius. Stateless: any silo
/// can answer, and no query touches SQL.
/// </summary>
[Alias("fc.IStationFinderGrain")]
public interface IStationFinderGrain : IGrainWithIntegerKey
{
    [Alias("FindNearby")]
    Task<IReadOnlyList<NearbyStation>> FindNearbyAsync(NearbyQuery query);
}

/// <summary>One cell of the fixed geo grid: its stations' positions and live free counts, kept current by the stations.</summary>
[Alias("fc.IGeoCellGrain")]
public interface IGeoCellGrain : IGrainWithStringKey
{
    [Alias("Upsert")]
    Task UpsertAsync(StationSnapshot station);

    [Alias("Query")]
    Task<IReadOnlyList<NearbyStation>> QueryAsync(NearbyQuery query);
}
