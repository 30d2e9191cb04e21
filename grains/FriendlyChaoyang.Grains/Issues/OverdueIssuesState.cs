namespace FriendlyChaoyang.Issues;

[GenerateSerializer, Alias("fc.OverdueIssuesState")]
public sealed class OverdueIssuesState
{
    [Id(0)] public Dictionary<string, OverdueIssue> Open { get; set; } = [];
}
