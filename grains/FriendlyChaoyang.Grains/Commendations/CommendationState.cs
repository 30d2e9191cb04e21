using FriendlyChaoyang.Persistence;

namespace FriendlyChaoyang.Commendations;

[GenerateSerializer, Alias("fc.CommendationState")]
public sealed class CommendationState : IOutboxState
{
    /// <summary>Null until recorded.</summary>
    [Id(0)] public RiderCommendation? Commendation { get; set; }

    [Id(1)] public string? RequestFingerprint { get; set; }

    /// <summary>The rider's masked display name when it was recorded: the feed never learns the full name.</summary>
    [Id(2)] public string RiderName { get; set; } = NameMask.Anonymous;

    /// <summary>The rider's growth record has not yet acknowledged the latest state.</summary>
    [Id(3)] public bool GrowthStale { get; set; }

    /// <summary>The subdistrict's good-news feed has not yet acknowledged the latest state.</summary>
    [Id(4)] public bool FeedStale { get; set; }

    /// <summary>Revoked, and the ledger has not yet acknowledged the compensating entry.</summary>
    [Id(5)] public bool ReversalPending { get; set; }

    [Id(6)] public List<PendingAward> PendingAwards { get; set; } = [];

    [Id(7)] public List<PendingNotification> PendingNotifications { get; set; } = [];
}
