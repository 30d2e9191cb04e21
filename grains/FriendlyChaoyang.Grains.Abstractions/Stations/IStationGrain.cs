namespace FriendlyChaoyang.Stations;

/// <summary>
/// One rest station, keyed by its id (e.g. "cy-shuangjing-007"); the single writer of its seats and ports. Riders
/// check in through <see cref="Riders.IRiderGrain.CheckInAsync"/>, which admits them here: the rider grain runs one
/// rider's moves one at a time, which is what keeps a rider at one station.
/// </summary>
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

    /// <summary>The rider's check-in here, or null if it is not inside: how a rider grain finds where it is after a restart.</summary>
    [Alias("GetCheckIn")]
    Task<CheckIn?> GetCheckInAsync(string riderId);

    /// <summary>Replaces the managers (双站长). Null for a station that was never defined.</summary>
    [Alias("SetManagers")]
    Task<StationManagers?> SetManagersAsync(StationManagers managers);

    /// <returns>Null for a station that was never defined.</returns>
    [Alias("GetRoster")]
    Task<StationRoster?> GetRosterAsync();

    /// <summary>Adds an activity to the station's calendar index (idempotent).</summary>
    [Alias("AddActivity")]
    Task AddActivityAsync(StationActivity activity);

    /// <summary>The station's activities that end at or after <paramref name="fromTime"/> and start at or before <paramref name="toTime"/> (any time when null).</summary>
    [Alias("ListActivities")]
    Task<IReadOnlyList<StationActivity>> ListActivitiesAsync(DateTimeOffset fromTime, DateTimeOffset? toTime);

    /// <summary>Lists a poll at this station (idempotent). False for a station that was never defined.</summary>
    [Alias("AddPoll")]
    Task<bool> AddPollAsync(string pollId);

    /// <summary>The station's polls, newest first; null for a station that was never defined.</summary>
    [Alias("ListPolls")]
    Task<IReadOnlyList<Polls.PollView>?> ListPollsAsync(int page, int pageSize);

    /// <summary>Lists a book on this station's shelf (idempotent); the book grain says where it stands.</summary>
    [Alias("ShelveBook")]
    Task ShelveBookAsync(string bookId);

    [Alias("UnshelveBook")]
    Task UnshelveBookAsync(string bookId);

    /// <summary>The books of this shelf (with <paramref name="availableOnly"/>: those not lent), oldest listing first; null for a station that was never defined.</summary>
    [Alias("ListBooks")]
    Task<IReadOnlyList<Books.BookView>?> ListBooksAsync(bool availableOnly, int page, int pageSize);
}

/// <summary>
/// Finds stations near a point by fanning out to the few occupied geo cells that cover the radius. Stateless: any
/// silo can answer, and no query touches SQL.
/// </summary>
[Alias("fc.IStationFinderGrain")]
public interface IStationFinderGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Nearest first. A radius above <see cref="NearbyLimits.MaxRadiusM"/> counts as that maximum; a circle outside
    /// the service area finds nothing.
    /// </summary>
    [Alias("FindNearby")]
    Task<IReadOnlyList<NearbyStation>> FindNearbyAsync(NearbyQuery query);
}

/// <summary>
/// The geo cells that hold stations (keyed 0; one for the cluster). Stations register their cell when they are
/// defined, so a search asks only occupied cells and an empty cell never becomes a grain.
/// </summary>
[Alias("fc.IGeoCellDirectoryGrain")]
public interface IGeoCellDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Adds the cell if it is new (a write only then). Once registered, a cell stays registered.</summary>
    [Alias("Register")]
    Task RegisterAsync(string cellKey);

    [Alias("List")]
    Task<IReadOnlyList<string>> ListAsync();
}

/// <summary>One cell of the fixed geo grid: its stations' positions and live free counts, kept current by the stations.</summary>
[Alias("fc.IGeoCellGrain")]
public interface IGeoCellGrain : IGrainWithStringKey
{
    [Alias("Upsert")]
    Task UpsertAsync(StationSnapshot station);

    /// <summary>Forgets a station that moved to another cell (durably).</summary>
    [Alias("Remove")]
    Task RemoveAsync(string stationId);

    /// <summary>
    /// The cell's stations with their latest published free counts that changed since <paramref name="since"/> (a version
    /// this cell answered before), or all of them for null or a version of an earlier activation: how copies of the
    /// index for nearby searches (<see cref="StationIndexCopy"/>) stay current without re-reading every station.
    /// </summary>
    [Alias("ChangesSince")]
    Task<CellChanges> ChangesSinceAsync(CellVersion? since);
}
