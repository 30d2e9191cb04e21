namespace FriendlyChaoyang.Stations;

[GenerateSerializer, Alias("fc.StationState")]
public sealed class StationState
{
    [Id(0)] public StationDefinition? Definition { get; set; }

    /// <summary>Riders inside now, by rider id.</summary>
    [Id(1)] public Dictionary<string, CheckIn> Present { get; set; } = [];

    [Id(2)] public StationManagers Managers { get; set; } = StationManagers.None;

    /// <summary>The station's calendar: every activity published on it, by id.</summary>
    [Id(3)] public Dictionary<string, StationActivity> Activities { get; set; } = [];
}
