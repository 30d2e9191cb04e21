using FriendlyChaoyang.Persistence;

namespace FriendlyChaoyang.Wishes;

[GenerateSerializer, Alias("fc.WishState")]
public sealed class WishState : IOutboxState
{
    /// <summary>Null until posted.</summary>
    [Id(0)] public WishView? Wish { get; set; }

    [Id(1)] public string? RequestFingerprint { get; set; }

    /// <summary>The subdistrict's list has not yet acknowledged the latest view.</summary>
    [Id(2)] public bool SubdistrictListStale { get; set; }

    /// <summary>The rider's list has not yet acknowledged the latest view.</summary>
    [Id(3)] public bool RiderListStale { get; set; }

    [Id(4)] public List<PendingAward> PendingAwards { get; set; } = [];

    [Id(5)] public List<PendingNotification> PendingNotifications { get; set; } = [];
}
