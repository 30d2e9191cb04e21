using FriendlyChaoyang.Persistence;

namespace FriendlyChaoyang.Housing;

[GenerateSerializer, Immutable, Alias("fc.QueuedApplication")]
public sealed record QueuedApplication([property: Id(0)] string ApplicationId, [property: Id(1)] string RiderId);

[GenerateSerializer, Immutable, Alias("fc.BedOffer")]
public sealed record BedOffer([property: Id(0)] string RiderId, [property: Id(1)] int Bed, [property: Id(2)] DateTimeOffset ExpiresAt);

[GenerateSerializer, Immutable, Alias("fc.Tenancy")]
public sealed record Tenancy(
    [property: Id(0)] string ApplicationId,
    [property: Id(1)] string RiderId,
    [property: Id(2)] int Bed,
    [property: Id(3)] DateTimeOffset Since,
    [property: Id(4)] DateTimeOffset? EndedAt);

[GenerateSerializer, Alias("fc.ApartmentState")]
public sealed class ApartmentState : IOutboxState
{
    [Id(0)] public ApartmentListing? Listing { get; set; }

    [Id(1)] public string? SubdistrictId { get; set; }

    [Id(2)] public string? RequestFingerprint { get; set; }

    [Id(3)] public string? CreatedBy { get; set; }

    [Id(4)] public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Applications waiting for a bed, first in line first.</summary>
    [Id(5)] public List<QueuedApplication> Line { get; set; } = [];

    /// <summary>Beds held for the applications that were first in line, until accepted or expired.</summary>
    [Id(6)] public Dictionary<string, BedOffer> Offers { get; set; } = [];

    /// <summary>Every tenancy by id, ended ones included (so a repeated move-out answers the same).</summary>
    [Id(7)] public Dictionary<string, Tenancy> Tenancies { get; set; } = [];

    /// <summary>
    /// Applications that are over (withdrawn, or their offer expired): a late or repeated apply for one must not put it
    /// back in line.
    /// </summary>
    [Id(8)] public HashSet<string> Closed { get; set; } = [];

    [Id(9)] public int TenanciesStarted { get; set; }

    [Id(10)] public List<PendingAward> PendingAwards { get; set; } = [];

    [Id(11)] public List<PendingNotification> PendingNotifications { get; set; } = [];
}
