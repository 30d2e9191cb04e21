using FriendlyChaoyang.Stations;

namespace FriendlyChaoyang.Riders;

[GenerateSerializer, Alias("fc.RiderState")]
public sealed class RiderState
{
    [Id(0)] public string? DisplayName { get; set; }
    [Id(1)] public string? Platform { get; set; }
    [Id(2)] public string? Kind { get; set; }
    [Id(3)] public CheckIn? CurrentStation { get; set; }
}
