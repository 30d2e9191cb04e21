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

    /// <summary>The station's polls, oldest first.</summary>
    [Id(4)] public List<string> PollIds { get; set; } = [];

    /// <summary>The books listed on its shelf (a book's own grain says where it stands; see Books/StationShelf.cs).</summary>
    [Id(5)] public List<string> BookIds { get; set; } = [];
}
