namespace FriendlyChaoyang.Stations;

[GenerateSerializer, Alias("fc.StationState")]
public sealed class StationState
{
    [Id(0)] public StationDefinition? Definition { get; set; }

    /// <summary>Riders inside now, by rider id.</summary>
    [Id(1)] public Dictionary<string, CheckIn> Present { get; set; } = [];
}
