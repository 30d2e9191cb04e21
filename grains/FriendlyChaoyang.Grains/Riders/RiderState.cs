using FriendlyChaoyang.Stations;

namespace FriendlyChaoyang.Riders;

[GenerateSerializer, Alias("fc.RiderState")]
public sealed class RiderState
{
    [Id(0)] public string? DisplayName { get; set; }
    [Id(1)] public string? Platform { get; set; }
    [Id(2)] public string? Kind { get; set; }

    /// <summary>
    /// Rows written before <see cref="StationsToAsk"/> existed hold only this: read as that list with its station alone.
    /// No longer written.
    /// </summary>
    [Id(3)] public CheckIn? LastCheckIn { get; set; }

    /// <summary>
    /// Where a restarted rider asks whether it is inside (the stations' own records say), newest first: the station it
    /// last went to, and the one it was at when it went there, which still holds it if that move was refused or never
    /// happened. Repeat check-ins at the first and check-outs do not rewrite it.
    /// </summary>
    [Id(4)] public string[] StationsToAsk { get; set; } = [];
}
