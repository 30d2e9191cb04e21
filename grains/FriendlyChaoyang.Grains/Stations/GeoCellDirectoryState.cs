namespace FriendlyChaoyang.Stations;

[GenerateSerializer, Alias("fc.GeoCellDirectoryState")]
public sealed class GeoCellDirectoryState
{
    /// <summary>Keys of the cells that hold (or held) at least one station.</summary>
    [Id(0)] public HashSet<string> Cells { get; set; } = [];
}
