using FriendlyChaoyang.Persistence;
using FriendlyChaoyang.Notifications;
using FriendlyChaoyang.Points;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FriendlyChaoyang.Issues;

/// <summary>
/// One report. Not reentrant: transitions run one at a time. Every side effect on other grains (queue update,
/// notifications, point awards) is first written to this grain's state as an outbox entry whose id names its cause,
/// then delivered; a reminder retries what was not acknowledged, and the receivers ignore ids they have seen, so a
/// crash, a retry or a repeated call neither loses nor doubles anything.
/// </summary>
public sealed class IssueGrain(
    [PersistentState("issue", StorageNames.Default)] IPersistentState<IssueState> state,
    IOptions<IssueOptions> issueOptions,
    IOptions<PointsOptions> pointsOptions,
    TimeProvider clock,
    ILogger<IssueGrain> logger) : Grain, IIssueGrain, IRemindable
{
    private const string TickReminder = "issue-tick";
    private readonly IssueOptions _options = issueOptions.Value;
    private readonly PointsOptions _points = pointsOptions.Value;
    private IssueState S => state.State;
    private string IssueId => this.GetPrimaryKeyString();

    public Task<IssueReceipt?> GetReceiptAsync() => Task.FromResult(S.Receipt);

    /// <summary>
    /// An open duplicate routed to a neighbouring subdistrict: within the duplicate radius of a report, an issue can only
    /// belong to a subdistrict whose centre is at most twice that radius farther than the report's own.
    /// </summary>
    private async Task<(string? Id, string? Status)> FindDuplicateAcrossBoundaryAsync(QueuedIssue candidate, string reporterId)
    {
        var home = SeedData.Subdistricts.First(s => s.Id == candidate.SubdistrictId);
        var own = GeoMath.DistanceM(candidate.Lat, candidate.Lon, home.Lat, home.Lon);
        var neighbours = SeedData.Subdistricts.Where(s => s.Id != candidate.SubdistrictId
            && GeoMath.DistanceM(candidate.Lat, candidate.Lon, s.Lat, s.Lon) <= own + (2 * _options.DuplicateRadiusM));
        foreach (var neighbour in neighbours)
        {
            if (await GrainFactory.GetGrain<ISubdistrictIssuesGrain>(neighbour.Id).FindDuplicateAsync(candidate) is { } id
                && await GrainFactory.GetGrain<IIssueGrain>(id).AddCoReporterAsync(reporterId) is { } status)
            {
                return (id, status);
            }
        }
        return (null, null);
    }

    public async Task<IssueReceipt> SubmitAsync(NewIssue report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (S.Receipt is { } existing)
        {
            return existing;
        }
        var category = SeedData.IssueCategories.FirstOrDefault(c => c.Id == report.Category)
            ?? throw new ArgumentException($"Unknown category '{report.Category}'.", nameof(report));
        var now = clock.GetUtcNow();
        var subdistrictId = SeedData.NearestSubdistrict(report.Lat, report.Lon).Id;
        var dueAt = now + _options.ResponseTarget(category);
        var candidate = new QueuedIssue(IssueId, report.Category, report.Lat, report.Lon, IssueStatuses.Submitted, subdistrictId, now, dueAt, false);

        var queue = GrainFactory.GetGrain<ISubdistrictIssuesGrain>(subdistrictId);
        var (duplicateOf, originalStatus) = await FindDuplicateAcrossBoundaryAsync(candidate, report.ReporterId);
        if (duplicateOf is null)
        {
            duplicateOf = await queue.OpenOrFindDuplicateAsync(candidate);
        }
        if (duplicateOf is not null && originalStatus is null)
        {
            originalStatus = await GrainFactory.GetGrain<IIssueGrain>(duplicateOf).AddCoReporterAsync(report.ReporterId);
            if (originalStatus is null)
            {
                // The queue listed an issue that was never filed (its report failed to store and was not retried):
                // retire that ghost and open this report instead.
                await queue.UpdateAsync(candidate with { Id = duplicateOf, Status = IssueStatuses.Rejected });
                duplicateOf = await queue.OpenOrFindDuplicateAsync(candidate);
                originalStatus = duplicateOf is null ? null : await GrainFactory.GetGrain<IIssueGrain>(duplicateOf).AddCoReporterAsync(report.ReporterId);
            }
        }

        S.Report = report;
        if (duplicateOf is not null)
        {
            S.Receipt = new IssueReceipt(IssueId, originalStatus ?? IssueStatuses.Submitted, subdistrictId, duplicateOf, now);
            await WriteAsync();
            return S.Receipt;
        }

        S.Status = IssueStatuses.Submitted;
        S.DueAt = dueAt;
        S.History.Add(new IssueHistoryEntry(IssueStatuses.Submitted, now, report.ReporterId, null));
        S.Receipt = new IssueReceipt(IssueId, IssueStatuses.Submitted, subdistrictId, null, now);
        Notify(report.ReporterId, IssueStatuses.Submitted, StatusText(IssueStatuses.Submitted, 0));
        await WriteAsync();
        // The reminder drives the response clock and retries the outbox; it lives until the issue is closed and delivered.
        await this.RegisterOrUpdateReminder(TickReminder, _options.TickPeriod, _options.TickPeriod);
        await DeliverAsync();
        return S.Receipt;
    }

    public async Task<IssueView?> GetAsync()
    {
        if (S.Receipt is null)
        {
            return null;
        }
        if (S.Receipt.DuplicateOf is { } original)
        {
            return await GrainFactory.GetGrain<IIssueGrain>(original).GetAsync();
        }
        return View();
    }

    public async Task<TransitionResult> TransitionAsync(IssueTransition transition)
    {
        ArgumentNullException.ThrowIfNull(transition);
        if (S.Receipt is null)
        {
            return new TransitionResult(TransitionOutcome.NotFound, null);
        }
        if (S.Receipt.DuplicateOf is { } original)
        {
            return await GrainFactory.GetGrain<IIssueGrain>(original).TransitionAsync(transition);
        }
        if (transition.OperatorSubdistrictId != S.Receipt.SubdistrictId)
        {
            return new TransitionResult(TransitionOutcome.WrongSubdistrict, null);
        }
        if (transition.To == S.Status)
        {
            // A retried request: answer as the first did, and use the call to push anything still undelivered.
            await DeliverAsync();
            return new TransitionResult(TransitionOutcome.Unchanged, View());
        }
        if (!IsAllowed(S.Status, transition.To))
        {
            return new TransitionResult(TransitionOutcome.Illegal, View());
        }

        var now = clock.GetUtcNow();
        S.Status = transition.To;
        S.History.Add(new IssueHistoryEntry(transition.To, now, transition.By, transition.Note));
        if (transition.To == IssueStatuses.OnSite && now > S.DueAt)
        {
            S.Overdue = true;
        }
        S.QueueStale = true;
        if (transition.To == IssueStatuses.Resolved)
        {
            RecordAwards();
        }
        foreach (var rider in Followers())
        {
            var points = transition.To != IssueStatuses.Resolved ? 0 : rider == S.Report!.ReporterId ? _points.ReporterPoints : _points.CoReporterPoints;
            Notify(rider, transition.To, StatusText(transition.To, points));
        }
        await WriteAsync();
        await DeliverAsync();
        return new TransitionResult(TransitionOutcome.Moved, View());
    }

    public async Task<string?> AddCoReporterAsync(string riderId)
    {
        if (S.Receipt is null)
        {
            return null;
        }
        if (S.Receipt.DuplicateOf is { } original)
        {
            return await GrainFactory.GetGrain<IIssueGrain>(original).AddCoReporterAsync(riderId);
        }
        if (riderId == S.Report!.ReporterId || !S.CoReporters.Add(riderId))
        {
            return S.Status;
        }
        Notify(riderId, "linked", $"Issue {IssueId} was already reported; you will get its updates. Status: {S.Status}.");
        await WriteAsync();
        await DeliverAsync();
        return S.Status;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != TickReminder)
        {
            return;
        }
        if (S.Receipt is not null && S.Receipt.DuplicateOf is null)
        {
            if (IssueStatuses.AwaitsResponse(S.Status) && !S.Overdue && clock.GetUtcNow() >= S.DueAt)
            {
                S.Overdue = true;
                S.QueueStale = true;
                logger.LogInformation("Issue {IssueId} is overdue (due {DueAt})", IssueId, S.DueAt);
                await WriteAsync();
            }
            await DeliverAsync();
            if (IssueStatuses.IsOpen(S.Status) || HasOutbox)
            {
                return;
            }
        }
        var reminder = await this.GetReminder(TickReminder);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private bool HasOutbox => S.QueueStale || S.PendingAwards.Count > 0 || S.PendingNotifications.Count > 0;

    private void RecordAwards()
    {
        var reporter = S.Report!.ReporterId;
        S.PendingAwards.Add(new PendingAward(reporter,
            new LedgerCredit($"issue:{IssueId}:reporter", _points.ReporterPoints, "issue_resolved", IssueId)));
        foreach (var coReporter in S.CoReporters.Order(StringComparer.Ordinal))
        {
            S.PendingAwards.Add(new PendingAward(coReporter,
                new LedgerCredit($"issue:{IssueId}:co-reporter:{coReporter}", _points.CoReporterPoints, "issue_co_reported", IssueId)));
        }
    }

    private void Notify(string riderId, string what, string text) =>
        S.PendingNotifications.Add(new PendingNotification(riderId,
            new NotificationDraft($"issue:{IssueId}:{what}:{riderId}", "issue_" + what, IssueId, text)));

    /// <summary>Delivers the outbox in parallel; whatever is not acknowledged stays for the reminder to retry.</summary>
    private async Task DeliverAsync()
    {
        if (!HasOutbox)
        {
            return;
        }
        var queueTask = S.QueueStale ? Attempt(GrainFactory.GetGrain<ISubdistrictIssuesGrain>(S.Receipt!.SubdistrictId).UpdateAsync(Queued())) : null;
        var awards = S.PendingAwards.Select(a => (Item: a, Task: Attempt(GrainFactory.GetGrain<IPointsLedgerGrain>(a.RiderId).CreditAsync(a.Credit)))).ToList();
        var notes = S.PendingNotifications.Select(n => (Item: n, Task: Attempt(GrainFactory.GetGrain<INotificationsGrain>(n.RiderId).AddAsync(n.Draft)))).ToList();
        await Task.WhenAll(awards.Select(a => a.Task).Concat(notes.Select(n => n.Task)).Append(queueTask ?? Task.FromResult(true)));

        var changed = false;
        if (queueTask is not null && queueTask.Result)
        {
            S.QueueStale = false;
            changed = true;
        }
        foreach (var (award, task) in awards.Where(a => a.Task.Result))
        {
            S.PendingAwards.Remove(award);
            changed = true;
        }
        foreach (var (note, task) in notes.Where(n => n.Task.Result))
        {
            S.PendingNotifications.Remove(note);
            changed = true;
        }
        try
        {
            if (changed)
            {
                await WriteAsync();
            }
            if (HasOutbox)
            {
                await this.RegisterOrUpdateReminder(TickReminder, _options.TickPeriod, _options.TickPeriod);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Undelivered marks that did not reach storage are simply delivered again; receivers de-duplicate.
            logger.LogWarning(ex, "Issue {IssueId} could not record its deliveries", IssueId);
        }
    }

    private async Task<bool> Attempt(Task delivery)
    {
        try
        {
            await delivery.WaitAsync(_options.DeliveryTimeout);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Issue {IssueId}: a delivery failed; the reminder retries it", IssueId);
            return false;
        }
    }

    private async Task<bool> Attempt<T>(Task<T> delivery) => await Attempt((Task)delivery);

    private IEnumerable<string> Followers() => S.CoReporters.Order(StringComparer.Ordinal).Prepend(S.Report!.ReporterId);

    private static bool IsAllowed(string from, string to) => (from, to) switch
    {
        (IssueStatuses.Submitted, IssueStatuses.Dispatched) => true,
        (IssueStatuses.Dispatched, IssueStatuses.OnSite) => true,
        (IssueStatuses.OnSite, IssueStatuses.Resolved) => true,
        (_, IssueStatuses.Rejected) => IssueStatuses.IsOpen(from),
        _ => false,
    };

    private static string StatusText(string status, int points) => status switch
    {
        IssueStatuses.Submitted => "Your report was received and sent to the subdistrict's emergency team.",
        IssueStatuses.Dispatched => "The emergency team has been dispatched.",
        IssueStatuses.OnSite => "The emergency team is on site.",
        IssueStatuses.Resolved => points > 0 ? $"The hazard has been fixed. Thank you: +{points} points." : "The hazard has been fixed.",
        IssueStatuses.Rejected => "Your report was closed without action.",
        _ => $"Status: {status}.",
    };

    private bool IsOverdue() => S.Overdue || (IssueStatuses.AwaitsResponse(S.Status) && clock.GetUtcNow() > S.DueAt);

    private QueuedIssue Queued() => new(
        IssueId, S.Report!.Category, S.Report.Lat, S.Report.Lon, S.Status, S.Receipt!.SubdistrictId, S.Receipt.ReportedAt, S.DueAt, IsOverdue());

    private IssueView View() => new(
        IssueId, S.Report!.Category, S.Report.Lat, S.Report.Lon, S.Report.Description, S.Status, S.Receipt!.SubdistrictId,
        S.DueAt, IsOverdue(), S.CoReporters.Count, S.Report.PhotoHash, [.. S.History], S.Receipt.ReportedAt, S.Report.ReporterId);

    private Task WriteAsync() => state.WriteOrDeactivateAsync(this, $"Issue {IssueId}");
}
