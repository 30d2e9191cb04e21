namespace FriendlyChaoyang.Issues;

[GenerateSerializer, Alias("fc.SubdistrictIssuesState")]
public sealed class SubdistrictIssuesState
{
    [Id(0)] public Dictionary<string, QueuedIssue> Open { get; set; } = [];
}
