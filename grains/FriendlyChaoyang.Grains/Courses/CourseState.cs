using FriendlyChaoyang.Growth;
using FriendlyChaoyang.Persistence;

namespace FriendlyChaoyang.Courses;

[GenerateSerializer, Alias("fc.CourseState")]
public sealed class CourseState : IOutboxState
{
    [Id(0)] public CourseDefinition? Definition { get; set; }

    [Id(1)] public string? SubdistrictId { get; set; }

    [Id(2)] public string? RequestFingerprint { get; set; }

    [Id(3)] public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Every rider holding a place, with their standing: its count is what the capacity bounds.</summary>
    [Id(4)] public Dictionary<string, GrowthCourse> Enrolments { get; set; } = [];

    /// <summary>Riders whose growth record has not yet acknowledged their latest standing.</summary>
    [Id(5)] public HashSet<string> GrowthStale { get; set; } = [];

    [Id(6)] public List<PendingAward> PendingAwards { get; set; } = [];

    [Id(7)] public List<PendingNotification> PendingNotifications { get; set; } = [];
}
