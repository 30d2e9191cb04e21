namespace FriendlyChaoyang.Stations;

[GenerateSerializer, Alias("fc.GeoCellState")]
public sealed class GeoCellState
{
    /// <summary>The stations in this cell by id. Free counts here are only as fresh as the last write; see GeoCellGrain.</summary>
    [Id(0)] public Dictionary<string, StationSnapshot> Stations { get; set; } = [];
}
