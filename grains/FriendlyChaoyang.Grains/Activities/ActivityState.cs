using FriendlyChaoyang.Persistence;

namespace FriendlyChaoyang.Activities;

[GenerateSerializer, Alias("fc.ActivityState")]
public sealed class ActivityState : IOutboxState
{
    [Id(0)] public ActivityDefinition? Definition { get; set; }

    [Id(1)] public string? RequestFingerprint { get; set; }

    /// <summary>Riders holding a seat, with their ticket secret.</summary>
    [Id(2)] public Dictionary<string, string> Tickets { get; set; } = [];

    /// <summary>Riders waiting for a seat, first in line first.</summary>
    [Id(3)] public List<string> Waitlist { get; set; } = [];

    /// <summary>Freed seats held for riders who were first in line, until they accept or the offer expires.</summary>
    [Id(4)] public Dictionary<string, DateTimeOffset> Offers { get; set; } = [];

    /// <summary>When each ticket holder was first scanned in.</summary>
    [Id(5)] public Dictionary<string, DateTimeOffset> Attended { get; set; } = [];

    [Id(6)] public List<PendingAward> PendingAwards { get; set; } = [];

    [Id(7)] public List<PendingNotification> PendingNotifications { get; set; } = [];

    [Id(8)] public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Attendees whose growth record has not yet acknowledged their attendance.</summary>
    [Id(9)] public HashSet<string> GrowthStale { get; set; } = [];
}
