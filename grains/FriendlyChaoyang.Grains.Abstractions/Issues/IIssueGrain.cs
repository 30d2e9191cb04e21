namespace FriendlyChaoyang.Issues;

/// <summary>
/// One report (随手拍), keyed by its id. Owns the issue's status, history, response clock and the delivery of its
/// notifications and point awards (recorded in its own state first, retried by a reminder until acknowledged).
/// </summary>
[Alias("fc.IIssueGrain")]
public interface IIssueGrain : IGrainWithStringKey
{
    /// <summary>
    /// Files the report: routes it to its subdistrict, or links it to an open duplicate. A report of an unknown category
    /// or from outside the service area is refused. Once filed, the answer is <see cref="ReplayAsync"/>'s.
    /// </summary>
    /// <param name="requestFingerprint">A digest of the request that carries the report, stored with the issue.</param>
    [Alias("Submit")]
    Task<SubmitResult> SubmitAsync(NewIssue report, string requestFingerprint);

    /// <summary>
    /// Answers a repeated request without filing anything: the first receipt when the fingerprint is the one the issue was
    /// filed with, else <see cref="SubmitOutcome.DifferentRequest"/>. Issues filed before fingerprints were stored match any.
    /// </summary>
    /// <returns>Null when nothing was filed yet.</returns>
    [Alias("Replay")]
    Task<SubmitResult?> ReplayAsync(string requestFingerprint);

    /// <summary>
    /// The issue (for a report linked as a duplicate: the issue it follows) in full for its reporter and co-reporters, its
    /// subdistrict's operators and admins; for everyone else its <see cref="IssueView.Public"/> view.
    /// </summary>
    /// <returns>Null if no issue was filed.</returns>
    [Alias("GetFor")]
    Task<IssueView?> GetAsync(IssueViewer viewer);

    [Alias("Transition")]
    Task<TransitionResult> TransitionAsync(IssueTransition transition);

    /// <summary>Adds a rider who reported the same hazard. A rider counts once however often it reports.</summary>
    /// <returns>The issue's current status, or null if no such issue was filed.</returns>
    [Alias("AddCoReporter")]
    Task<string?> AddCoReporterAsync(string riderId);
}

/// <summary>
/// The open issues of one subdistrict, keyed by subdistrict id: the operators' queue, and the place where a new report
/// is checked against open issues of the same category nearby (one grain, so two racing reports cannot both open).
/// </summary>
[Alias("fc.ISubdistrictIssuesGrain")]
public interface ISubdistrictIssuesGrain : IGrainWithStringKey
{
    /// <summary>Opens the candidate, unless an open issue of its category lies within the duplicate radius.</summary>
    /// <returns>Null when the candidate was opened (or already was), else the id of the issue it duplicates.</returns>
    [Alias("OpenOrFindDuplicate")]
    Task<string?> OpenOrFindDuplicateAsync(QueuedIssue candidate);

    /// <summary>The open issue of the candidate's category within the duplicate radius, if any; changes nothing.</summary>
    [Alias("FindDuplicate")]
    Task<string?> FindDuplicateAsync(QueuedIssue candidate);

    /// <summary>Records the issue's latest status; a closed issue leaves the queue.</summary>
    [Alias("Update")]
    Task UpdateAsync(QueuedIssue issue);

    /// <summary>Open issues, overdue first, then oldest first.</summary>
    [Alias("List")]
    Task<IReadOnlyList<QueuedIssue>> ListAsync();
}

/// <summary>
/// The issues reported on one UTC day, keyed "yyyy-MM-dd" (<see cref="IssueDays"/>): lists issues by date (Open311's
/// GET requests) without scanning every issue. Each issue keeps its entry current through its outbox.
/// </summary>
[Alias("fc.IIssueDayIndexGrain")]
public interface IIssueDayIndexGrain : IGrainWithStringKey
{
    /// <summary>Adds the issue or records its latest status.</summary>
    [Alias("Update")]
    Task UpdateAsync(IndexedIssue issue);

    [Alias("List")]
    Task<IReadOnlyList<IndexedIssue>> ListAsync();
}

/// <summary>
/// The district's open issues past their resolve target, one grain (key <see cref="Key"/>): the admin's overdue queue.
/// Each issue adds itself once its reminder sees it overdue and removes itself when it closes, both through its outbox.
/// </summary>
[Alias("fc.IOverdueIssuesGrain")]
public interface IOverdueIssuesGrain : IGrainWithIntegerKey
{
    public const long Key = 0;

    /// <summary>Adds the issue or records its latest status; a closed issue leaves the queue.</summary>
    [Alias("Update")]
    Task UpdateAsync(OverdueIssue issue);

    /// <summary>Most overdue (earliest resolve target) first.</summary>
    [Alias("List")]
    Task<IReadOnlyList<OverdueIssue>> ListAsync();
}

/// <summary>The keys of <see cref="IIssueDayIndexGrain"/>.</summary>
public static class IssueDays
{
    public static string KeyOf(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The keys of every UTC day that overlaps [from, to].</summary>
    public static IEnumerable<string> Between(DateTimeOffset from, DateTimeOffset to)
    {
        for (var day = from.UtcDateTime.Date; day <= to.UtcDateTime; day = day.AddDays(1))
        {
            yield return KeyOf(new DateTimeOffset(day, TimeSpan.Zero));
        }
    }
}
