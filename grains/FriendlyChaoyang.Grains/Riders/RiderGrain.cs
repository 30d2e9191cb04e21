using FriendlyChaoyang.Persistence;
using FriendlyChaoyang.Points;
using FriendlyChaoyang.Stations;

namespace FriendlyChaoyang.Riders;

/// <summary>
/// A rider. Not reentrant: its check-ins, moves and check-outs run one at a time, which is what keeps a rider at one
/// station however many requests race.
/// </summary>
public sealed class RiderGrain(
    [PersistentState("rider", StorageNames.Batched)] IPersistentState<RiderState> state) : Grain, IRiderGrain
{
    private string RiderId => this.GetPrimaryKeyString();

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
        var previous = state.State.CurrentStation;
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
        if (state.State.CurrentStation != result.CheckIn)
        {
            state.State.CurrentStation = result.CheckIn;
            await WriteAsync();
        }
        return result;
    }

    public async Task<CheckOutResult> CheckOutAsync(string stationId)
    {
        // The station is the authority on who is inside; ask it even if our own record disagrees.
        var result = await GrainFactory.GetGrain<IStationGrain>(stationId).ReleaseAsync(RiderId);
        if (state.State.CurrentStation?.StationId == stationId)
        {
            state.State.CurrentStation = null;
            await WriteAsync();
        }
        return result;
    }

    public Task<CheckIn?> GetCurrentStationAsync() => Task.FromResult(state.State.CurrentStation);

    public async Task CheckInExpiredAsync(string stationId, DateTimeOffset checkedInAt)
    {
        if (state.State.CurrentStation is { } current && current.StationId == stationId && current.CheckedInAt == checkedInAt)
        {
            state.State.CurrentStation = null;
            await WriteAsync();
        }
    }

    /// <summary>Points come from the rider's ledger grain, the one authority on them.</summary>
    private async Task<RiderProfile> ProfileAsync()
    {
        var points = await GrainFactory.GetGrain<IPointsLedgerGrain>(RiderId).GetSummaryAsync();
        return new RiderProfile(
            RiderId, state.State.DisplayName, state.State.Platform, state.State.Kind, state.State.CurrentStation, points);
    }

    private Task WriteAsync() => state.WriteOrDeactivateAsync(this);
}
