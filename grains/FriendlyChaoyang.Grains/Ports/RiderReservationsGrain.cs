using FriendlyChaoyang.Persistence;

namespace FriendlyChaoyang.Ports;

[GenerateSerializer, Alias("fc.RiderReservationsState")]
public sealed class RiderReservationsState
{
    /// <summary>
    /// The station where the rider's reservation is, or is being made: recorded before the station is asked, so a crash
    /// between the two cannot leave the rider free to hold a second port. The station's answer is the truth.
    /// </summary>
    [Id(0)] public string? StationId { get; set; }
}

/// <summary>One rider's port reservation: at most one at a time, at any station.</summary>
public sealed class RiderReservationsGrain(
    [PersistentState("riderReservations", StorageNames.Default)] IPersistentState<RiderReservationsState> state) : Grain, IRiderReservationsGrain
{
    private string RiderId => this.GetPrimaryKeyString();

    public async Task<ReservationResult> ReserveAsync(string stationId, PortKind kind)
    {
        if (state.State.StationId is { } current
            && await GrainFactory.GetGrain<IStationPortsGrain>(current).GetReservationOfAsync(RiderId) is { } held)
        {
            return new ReservationResult(ReservationStatus.AlreadyHolding, held, []);
        }
        await RememberAsync(stationId);
        var result = await GrainFactory.GetGrain<IStationPortsGrain>(stationId).ReserveAsync(RiderId, kind);
        if (result.Status != ReservationStatus.Reserved && result.Status != ReservationStatus.AlreadyHolding)
        {
            await RememberAsync(null);
        }
        return result;
    }

    public async Task<bool> ReleaseAsync(string stationId, string reservationId)
    {
        var released = await GrainFactory.GetGrain<IStationPortsGrain>(stationId).ReleaseReservationAsync(RiderId, reservationId);
        if (released && state.State.StationId == stationId)
        {
            await RememberAsync(null);
        }
        return released;
    }

    private async Task RememberAsync(string? stationId)
    {
        if (state.State.StationId == stationId)
        {
            return;
        }
        state.State.StationId = stationId;
        await state.WriteOrDeactivateAsync(this);
    }
}
