using FriendlyChaoyang.Stations;

namespace FriendlyChaoyang.Riders;

/// <summary>One rider, keyed by the token subject. Knows where its rider is and coordinates moves between stations.</summary>
[Alias("fc.IRiderGrain")]
public interface IRiderGrain : IGrainWithStringKey
{
    [Alias("GetProfile")]
    Task<RiderProfile> GetProfileAsync();

    [Alias("UpdateProfile")]
    Task<RiderProfile> UpdateProfileAsync(RiderProfileUpdate update);

    /// <summary>Checks in at a station; moves the rider if it is at another one. Repeating it returns the same check-in.</summary>
    [Alias("CheckIn")]
    Task<CheckInResult> CheckInAsync(string stationId, bool charging);

    [Alias("CheckOut")]
    Task<CheckOutResult> CheckOutAsync(string stationId);

    /// <summary>Where the rider is by its own record; a station asks this to find occupants left behind by a crash.</summary>
    [Alias("GetCurrentStation")]
    Task<CheckIn?> GetCurrentStationAsync();

    /// <summary>Called by a station that expired the rider's forgotten check-in.</summary>
    [Alias("CheckInExpired")]
    Task CheckInExpiredAsync(string stationId, DateTimeOffset checkedInAt);
}
