using FriendlyChaoyang.Persistence;
using FriendlyChaoyang.Points;
using FriendlyChaoyang.Stations;

namespace FriendlyChaoyang.Riders;

/// <summary>
/// A rider. Not reentrant: its check-ins, moves and check-outs run one at a time, which is what keeps a rider at one
/// station however many requests race. The stations' records say who is inside; the rider keeps where it is in memory
/// and durably only which stations to ask after a restart, so a check-in at the rider's usual station and every
/// check-out cost one row write (the station's), and a check-in elsewhere two written at once.
/// </summary>
public sealed class RiderGrain(
    [PersistentState("rider", StorageNames.Batched)] IPersistentState<RiderState> state) : Grain, IRiderGrain
{
    private CheckIn? _current;

    private string RiderId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var stationId in StationsToAsk())
        {
            if (await GrainFactory.GetGrain<IStationGrain>(stationId).GetCheckInAsync(RiderId) is { } checkIn)
            {
                _current = checkIn;
                return;
            }
        }
    }

    public Task<RiderProfile> GetProfileAsync() => ProfileAsync();

    public async Task<RiderProfile> UpdateProfileAsync(RiderProfileUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        state.State.DisplayName = update.DisplayName;
        state.State.Platform = update.Platform;
        state.State.Kind = update.Kind;
        await WriteAsync();
        return await ProfileAsync();
    }

    public async Task<CheckInResult> CheckInAsync(string stationId, bool charging)
    {
        var previous = _current;
        // Where to ask is recorded alongside the admission, not after it: the two row writes share a commit instead of
        // waiting one behind the other. Both must be durable before the answer, so a rider restarted after it asks here.
        var recorded = RecordStationsToAskAsync(stationId, previous);
        var admission = GrainFactory.GetGrain<IStationGrain>(stationId).AdmitAsync(RiderId, charging);
        await Task.WhenAll(recorded, admission);
        var result = await admission;
        if (result.Status != CheckInStatus.Admitted)
        {
            return result;
        }
        if (previous is not null && previous.StationId != stationId)
        {
            // Admitted at the new station first, so a full destination never costs the rider the seat it has.
            await GrainFactory.GetGrain<IStationGrain>(previous.StationId).ReleaseAsync(RiderId);
        }
        _current = result.CheckIn;
        return result;
    }

    public async Task<CheckOutResult> CheckOutAsync(string stationId)
    {
        // The station is the authority on who is inside; ask it even if our own record disagrees.
        var result = await GrainFactory.GetGrain<IStationGrain>(stationId).ReleaseAsync(RiderId);
        if (_current?.StationId == stationId)
        {
            _current = null;
        }
        return result;
    }

    public Task<CheckIn?> GetCurrentStationAsync() => Task.FromResult(_current);

    public Task CheckInExpiredAsync(string stationId, DateTimeOffset checkedInAt)
    {
        if (_current is { } current && current.StationId == stationId && current.CheckedInAt == checkedInAt)
        {
            _current = null;
        }
        return Task.CompletedTask;
    }

    private string[] StationsToAsk() =>
        state.State.StationsToAsk is { Length: > 0 } stations ? stations
        : state.State.LastCheckIn is { } last ? [last.StationId]
        : [];

    /// <summary>
    /// Names <paramref name="stationId"/> first and the station the rider is at second, unless already first (the rider's
    /// usual station). The station it is at is always on the list: it got there through a check-in that put it first,
    /// and stays listed until the next check-in elsewhere rewrites the list with it. If the admission fails after this
    /// write, a restarted rider finds no seat here and asks the next; if this write fails after the admission, the
    /// station holds an unacknowledged check-in it releases later (it asks the rider, see StationGrain).
    /// </summary>
    private Task RecordStationsToAskAsync(string stationId, CheckIn? current)
    {
        if (StationsToAsk() is [var first, ..] && first == stationId)
        {
            return Task.CompletedTask;
        }
        state.State.StationsToAsk = current is null || current.StationId == stationId ? [stationId] : [stationId, current.StationId];
        state.State.LastCheckIn = null;
        return WriteAsync();
    }

    /// <summary>Points come from the rider's ledger grain, the one authority on them.</summary>
    private async Task<RiderProfile> ProfileAsync()
    {
        var points = await GrainFactory.GetGrain<IPointsLedgerGrain>(RiderId).GetSummaryAsync();
        return new RiderProfile(RiderId, state.State.DisplayName, state.State.Platform, state.State.Kind, _current, points);
    }

    private Task WriteAsync() => state.WriteOrDeactivateAsync(this);
}
