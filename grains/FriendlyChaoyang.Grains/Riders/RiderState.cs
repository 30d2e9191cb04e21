using FriendlyChaoyang.Stations;

namespace FriendlyChaoyang.Riders;

[GenerateSerializer, Alias("fc.RiderState")]
public sealed class RiderState
{
    [Id(0)] public string? DisplayName { get; set; }
    [Id(1)] public string? Platform { get; set; }
    [Id(2)] public string? Kind { get; set; }

    /// <summary>
    /// The check-in the rider recorded when it last came to a station other than the one before. Only its station is
    /// used: where a restarted rider asks whether it is inside (the station's own record says). Repeat check-ins at
    /// that station and check-outs do not rewrite it. (Rows written before this held the current check-in, or null
    /// after a check-out: read the same way.)
    /// </summary>
    [Id(3)] public CheckIn? LastCheckIn { get; set; }
}
