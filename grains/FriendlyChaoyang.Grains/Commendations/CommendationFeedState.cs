namespace FriendlyChaoyang.Commendations;

[GenerateSerializer, Alias("fc.CommendationFeedState")]
public sealed class CommendationFeedState
{
    /// <summary>Standing commendations by id.</summary>
    [Id(0)] public Dictionary<string, PublicCommendation> Items { get; set; } = [];

    /// <summary>Revoked ids, so a late delivery of the original entry does not bring it back.</summary>
    [Id(1)] public HashSet<string> Revoked { get; set; } = [];
}
