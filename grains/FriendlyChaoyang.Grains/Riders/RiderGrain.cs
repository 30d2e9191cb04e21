using FriendlyChaoyang.Persistence;
using FriendlyChaoyang.Points;
using FriendlyChaoyang.Stations;

namespace FriendlyChaoyang.Riders;

/// <summary>
/// A rider. Not reentrant: its check-ins, moves and check-outs run one at a time, which is what keeps a rider at one
/// station however many requests race. The stations' records say who is inside; the rider keeps where it is in memory
/// and durably only which station to ask after a restart, so a check-in at the rider's usual station and every
/// check-out cost one row write (the station's), not two.
/// </summary>
public sealed class RiderGrain(
    [PersistentState("rider", StorageNames.Batched)] IPersistentState<RiderState> state) : Grain, IRiderGrain
{
    private CheckIn? _current;

    private string RiderId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.LastCheckIn is { } last)
        {
            _current = await GrainFactory.GetGrain<IStationGrain>(last.StationId).GetCheckInAsync(RiderId);
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
        var result = await GrainFactory.GetGrain<IStationGrain>(stationId).AdmitAsync(RiderId, charging);
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
        if (state.State.LastCheckIn?.StationId != stationId)
        {
            // Before the answer: a rider restarted after this acknowledgement must ask this station. A crash before it
            // leaves an unacknowledged check-in the station later releases (it asks the rider, see StationGrain).
            state.State.LastCheckIn = result.CheckIn;
            await WriteAsync();
        }
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

    /// <summary>Points come from the rider's ledger grain, the one authority on them.</summary>
    private async Task<RiderProfile> ProfileAsync()
    {
        var points = await GrainFactory.GetGrain<IPointsLedgerGrain>(RiderId).GetSummaryAsync();
        return new RiderProfile(RiderId, state.State.DisplayName, state.State.Platform, state.State.Kind, _current, points);
    }

    private Task WriteAsync() => state.WriteOrDeactivateAsync(this);
}
