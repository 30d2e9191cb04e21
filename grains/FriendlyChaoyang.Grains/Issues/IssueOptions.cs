using FriendlyChaoyang.Catalog;

namespace FriendlyChaoyang.Issues;

public sealed class IssueOptions
{
    public const string Section = "Issues";

    /// <summary>A report this close to an open issue of the same category is linked to it instead of opening another.</summary>
    public double DuplicateRadiusM { get; set; } = 50;

    /// <summary>
    /// How often an open issue's reminder checks its response clock and retries undelivered notifications and awards.
    /// Orleans' minimum reminder period (1 minute by default) bounds it from below.
    /// </summary>
    public TimeSpan TickPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long one delivery attempt (to a ledger, a notification list, the queue) may take before it is retried later.</summary>
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Per-category response targets that override the catalogue's minutes (drills, tests).</summary>
    public Dictionary<string, TimeSpan> ResponseTargets { get; set; } = [];

    public TimeSpan ResponseTarget(IssueCategory category) =>
        ResponseTargets.TryGetValue(category.Id, out var target) ? target : TimeSpan.FromMinutes(category.ResponseMinutes);

    /// <summary>Per-category resolve targets that override the catalogue's hours (drills, tests).</summary>
    public Dictionary<string, TimeSpan> ResolveTargets { get; set; } = [];

    public TimeSpan ResolveTarget(IssueCategory category) =>
        ResolveTargets.TryGetValue(category.Id, out var target) ? target : TimeSpan.FromHours(category.ResolveHours);
}
