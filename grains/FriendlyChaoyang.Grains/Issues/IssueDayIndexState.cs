namespace FriendlyChaoyang.Issues;

[GenerateSerializer, Alias("fc.IssueDayIndexState")]
public sealed class IssueDayIndexState
{
    [Id(0)] public Dictionary<string, IndexedIssue> Issues { get; set; } = [];
}
