namespace FriendlyChaoyang.Issues;

/// <summary>The wire names of an issue's statuses (REST contract v1).</summary>
public static class IssueStatuses
{
    public const string Submitted = "submitted";
    public const string Dispatched = "dispatched";
    public const string OnSite = "on_site";
    public const string Resolved = "resolved";
    public const string Rejected = "rejected";

    public static readonly IReadOnlySet<string> All =
        new HashSet<string>(StringComparer.Ordinal) { Submitted, Dispatched, OnSite, Resolved, Rejected };

    public static bool IsOpen(string status) => status is Submitted or Dispatched or OnSite;

    /// <summary>Before the team is on site the response clock is still running.</summary>
    public static bool AwaitsResponse(string status) => status is Submitted or Dispatched;
}

/// <summary>What a rider reported; the photo is already validated, stripped and stored by its hash.</summary>
/// <param name="PhotoHash">Null for a report without an uploaded photo (Open311 makes media optional).</param>
/// <param name="MediaUrl">A URL to media elsewhere, as an Open311 client sent it (stored, never fetched).</param>
/// <param name="Published">
/// The reporter submitted it where requests are public (Open311: anyone may read GET requests), so its public view keeps
/// the description and media. Reports made in our app are not published.
/// </param>
[GenerateSerializer, Immutable, Alias("fc.NewIssue")]
public sealed record NewIssue(
    [property: Id(0)] string ReporterId,
    [property: Id(1)] string Category,
    [property: Id(2)] double Lat,
    [property: Id(3)] double Lon,
    [property: Id(4)] string Description,
    [property: Id(5)] string? PhotoHash,
    [property: Id(6)] string? MediaUrl = null,
    [property: Id(7)] bool Published = false);

/// <summary>The answer to a report: the new issue, or the open issue it was linked to.</summary>
[GenerateSerializer, Immutable, Alias("fc.IssueReceipt")]
public sealed record IssueReceipt(
    [property: Id(0)] string Id,
    [property: Id(1)] string Status,
    [property: Id(2)] string SubdistrictId,
    [property: Id(3)] string? DuplicateOf,
    [property: Id(4)] DateTimeOffset ReportedAt);

[GenerateSerializer, Alias("fc.SubmitOutcome")]
public enum SubmitOutcome
{
    /// <summary>Filed as a new issue, or linked to the open issue it duplicates (see the receipt's DuplicateOf).</summary>
    Filed = 0,
    UnknownCategory = 1,
    OutsideServiceArea = 2,

    /// <summary>
    /// The issue was already filed by a request with another fingerprint (an Idempotency-Key reused for a different report):
    /// nothing changed.
    /// </summary>
    DifferentRequest = 3,
}

/// <summary>The receipt when the report was filed, else why it was refused (nothing was stored).</summary>
[GenerateSerializer, Immutable, Alias("fc.SubmitResult")]
public sealed record SubmitResult([property: Id(0)] SubmitOutcome Outcome, [property: Id(1)] IssueReceipt? Receipt);

/// <param name="By">Who made the change (the reporter for "submitted", else the operator); null in the public view.</param>
[GenerateSerializer, Immutable, Alias("fc.IssueHistoryEntry")]
public sealed record IssueHistoryEntry(
    [property: Id(0)] string Status,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string? By,
    [property: Id(3)] string? Note);

/// <summary>Who asks to see an issue; the issue decides from it how much they see (see <see cref="IIssueGrain.GetAsync"/>).</summary>
/// <param name="RiderId">The rider's id when a rider asks.</param>
/// <param name="OperatorOf">The subdistrict an operator serves when an operator asks.</param>
[GenerateSerializer, Immutable, Alias("fc.IssueViewer")]
public sealed record IssueViewer(
    [property: Id(0)] string? RiderId,
    [property: Id(1)] string? OperatorOf,
    [property: Id(2)] bool IsAdmin)
{
    /// <summary>Someone with no relation to any issue (another role, or no rider, operator or admin claim).</summary>
    public static IssueViewer Anyone { get; } = new(null, null, false);

    public static IssueViewer Admin { get; } = new(null, null, true);

    public static IssueViewer Rider(string riderId) => new(riderId, null, false);

    public static IssueViewer Operator(string subdistrictId) => new(null, subdistrictId, false);
}

/// <summary>
/// One issue as a viewer sees it. The full view (its reporters, its subdistrict's operators, admins) has everything; the
/// public view has no rider identity, and no description and no media (null) unless the report was
/// <see cref="NewIssue.Published"/>, since free text and a street photo can identify the reporter. The co-reporter
/// count stays.
/// </summary>
[GenerateSerializer, Immutable, Alias("fc.IssueView")]
public sealed record IssueView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Category,
    [property: Id(2)] double Lat,
    [property: Id(3)] double Lon,
    [property: Id(4)] string? Description,
    [property: Id(5)] string Status,
    [property: Id(6)] string SubdistrictId,
    [property: Id(7)] DateTimeOffset DueAt,
    [property: Id(8)] bool Overdue,
    [property: Id(9)] int CoReporters,
    [property: Id(10)] string? PhotoHash,
    [property: Id(11)] IReadOnlyList<IssueHistoryEntry> History,
    [property: Id(12)] DateTimeOffset ReportedAt,
    [property: Id(13)] string? MediaUrl = null,
    [property: Id(14)] bool Published = false,
    [property: Id(15)] DateTimeOffset? DueResolveAt = null)
{
    public IssueView Public() => this with
    {
        Description = Published ? Description : null,
        PhotoHash = Published ? PhotoHash : null,
        MediaUrl = Published ? MediaUrl : null,
        History = [.. History.Select(h => h with { By = null })],
    };

    /// <summary>The view with one rider's id taken out of the history.</summary>
    public IssueView WithoutRider(string riderId) => this with
    {
        History = [.. History.Select(h => h.By == riderId ? h with { By = null } : h)],
    };
}

/// <summary>An operator's request to move an issue.</summary>
[GenerateSerializer, Immutable, Alias("fc.IssueTransition")]
public sealed record IssueTransition(
    [property: Id(0)] string To,
    [property: Id(1)] string? Note,
    [property: Id(2)] string By,
    [property: Id(3)] string OperatorSubdistrictId);

[GenerateSerializer, Alias("fc.TransitionOutcome")]
public enum TransitionOutcome
{
    Moved = 0,
    /// <summary>The issue already has that status: nothing changed (a retried request).</summary>
    Unchanged = 1,
    Illegal = 2,
    WrongSubdistrict = 3,
    NotFound = 4,
}

[GenerateSerializer, Immutable, Alias("fc.TransitionResult")]
public sealed record TransitionResult([property: Id(0)] TransitionOutcome Outcome, [property: Id(1)] IssueView? Issue);

/// <summary>An open issue as its subdistrict's queue holds it.</summary>
/// <param name="DueResolveAt">When it should be fixed (reported + its category's resolve hours); null if its category is gone.</param>
[GenerateSerializer, Immutable, Alias("fc.QueuedIssue")]
public sealed record QueuedIssue(
    [property: Id(0)] string Id,
    [property: Id(1)] string Category,
    [property: Id(2)] double Lat,
    [property: Id(3)] double Lon,
    [property: Id(4)] string Status,
    [property: Id(5)] string SubdistrictId,
    [property: Id(6)] DateTimeOffset ReportedAt,
    [property: Id(7)] DateTimeOffset DueAt,
    [property: Id(8)] bool Overdue,
    [property: Id(9)] DateTimeOffset? DueResolveAt = null);

/// <summary>An issue as the day index of the day it was reported holds it (enough to filter by category, status and time).</summary>
[GenerateSerializer, Immutable, Alias("fc.IndexedIssue")]
public sealed record IndexedIssue(
    [property: Id(0)] string Id,
    [property: Id(1)] string Category,
    [property: Id(2)] string Status,
    [property: Id(3)] DateTimeOffset ReportedAt);

/// <summary>An open issue past its resolve target, as the admin's district-wide overdue queue holds it.</summary>
[GenerateSerializer, Immutable, Alias("fc.OverdueIssue")]
public sealed record OverdueIssue(
    [property: Id(0)] string Id,
    [property: Id(1)] string Category,
    [property: Id(2)] string Status,
    [property: Id(3)] string SubdistrictId,
    [property: Id(4)] DateTimeOffset ReportedAt,
    [property: Id(5)] DateTimeOffset DueResolveAt);
