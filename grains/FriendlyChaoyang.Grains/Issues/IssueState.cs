using FriendlyChaoyang.Persistence;

namespace FriendlyChaoyang.Issues;

[GenerateSerializer, Alias("fc.IssueState")]
public sealed class IssueState : IOutboxState
{
    /// <summary>Null until the report is filed; its DuplicateOf is set when this report was linked to another issue.</summary>
    [Id(0)] public IssueReceipt? Receipt { get; set; }
    [Id(1)] public NewIssue? Report { get; set; }
    [Id(2)] public string Status { get; set; } = IssueStatuses.Submitted;
    [Id(3)] public DateTimeOffset DueAt { get; set; }

    /// <summary>The response target was missed (sticky: it stays true once the team arrives late).</summary>
    [Id(4)] public bool Overdue { get; set; }
    [Id(5)] public HashSet<string> CoReporters { get; set; } = [];
    [Id(6)] public List<IssueHistoryEntry> History { get; set; } = [];

    /// <summary>Outbox: awards recorded before delivery, removed once the ledger acknowledged them.</summary>
    [Id(7)] public List<PendingAward> PendingAwards { get; set; } = [];
    [Id(8)] public List<PendingNotification> PendingNotifications { get; set; } = [];

    /// <summary>The subdistrict queue has not yet acknowledged the latest status.</summary>
    [Id(9)] public bool QueueStale { get; set; }

    /// <summary>
    /// The digest of the request that filed the report, so a replay of its Idempotency-Key with another report is refused.
    /// Null in issues stored before it existed: those answer every replay with their receipt, as they always did.
    /// </summary>
    [Id(10)] public string? RequestFingerprint { get; set; }

    /// <summary>The day index (<see cref="IIssueDayIndexGrain"/>) has not yet acknowledged the latest status.</summary>
    [Id(11)] public bool DayIndexStale { get; set; }

    /// <summary>When the issue should be fixed. Null in issues stored before it existed: reckoned from the catalogue.</summary>
    [Id(12)] public DateTimeOffset? DueResolveAt { get; set; }

    /// <summary>The resolve target was missed while the issue was open: operators were alerted, the admin's queue lists it.</summary>
    [Id(13)] public bool ResolveOverdue { get; set; }

    /// <summary>The admin's overdue queue (<see cref="IOverdueIssuesGrain"/>) has not yet acknowledged the latest status.</summary>
    [Id(14)] public bool OverdueQueueStale { get; set; }

    /// <summary>
    /// The original this report is being linked to, written (with the report and its fingerprint) before the link is made
    /// and cleared by the receipt. A retry that finds it completes that link instead of searching again: the rider is
    /// already the original's co-reporter, even if the original has closed since.
    /// </summary>
    [Id(15)] public IssueLink? LinkingTo { get; set; }
}

/// <param name="IssueId">The original issue.</param>
/// <param name="QueueId">The subdistrict whose queue listed it (where a never-filed original is retired).</param>
[GenerateSerializer, Immutable, Alias("fc.IssueLink")]
public sealed record IssueLink([property: Id(0)] string IssueId, [property: Id(1)] string QueueId);
