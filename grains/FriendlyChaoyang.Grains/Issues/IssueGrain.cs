using FriendlyChaoyang.Catalog;
using FriendlyChaoyang.Geo;
using FriendlyChaoyang.Notifications;
using FriendlyChaoyang.Persistence;
using FriendlyChaoyang.Points;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FriendlyChaoyang.Issues;

/// <summary>
/// One report. Not reentrant: transitions run one at a time. Every side effect on other grains (notifications, point
/// awards, the queue entry) goes through its <see cref="Outbox"/>: recorded in this grain's state first, then delivered,
/// retried by the issue's reminder until acknowledged, so a crash or a repeated call neither loses nor doubles anything.
/// </summary>
public sealed class IssueGrain(
    [PersistentState("issue", StorageNames.Default)] IPersistentState<IssueState> state,
    CatalogData catalog,
    IOptions<IssueOptions> issueOptions,
    IOptions<PointsOptions> pointsOptions,
    TimeProvider clock,
    ILogger<IssueGrain> logger) : Grain, IIssueGrain, IRemindable
{
    private const string TickReminder = "issue-tick";
    private readonly IssueOptions _options = issueOptions.Value;
    private readonly PointsOptions _points = pointsOptions.Value;
    private Outbox _outbox = null!;
    private IssueState S => state.State;
    private string IssueId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _outbox = new Outbox(this, GrainFactory, () => state.State, WriteAsync,
            new OutboxSettings(TickReminder, _options.TickPeriod, _options.DeliveryTimeout), logger);
        return Task.CompletedTask;
    }

    public Task<SubmitResult?> ReplayAsync(string requestFingerprint) =>
        Task.FromResult(S.Receipt is null ? null : Replayed(requestFingerprint));

    private SubmitResult Replayed(string requestFingerprint) =>
        S.RequestFingerprint is null || S.RequestFingerprint == requestFingerprint
            ? new SubmitResult(SubmitOutcome.Filed, S.Receipt)
            : new SubmitResult(SubmitOutcome.DifferentRequest, null);

    public async Task<SubmitResult> SubmitAsync(NewIssue report, string requestFingerprint)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(requestFingerprint);
        if (S.Receipt is not null)
        {
            return Replayed(requestFingerprint);
        }
        if (S.LinkingTo is not null && S.RequestFingerprint != requestFingerprint)
        {
            // The key belongs to a report an earlier attempt already linked (its receipt failed to store): only that request finishes it.
            return new SubmitResult(SubmitOutcome.DifferentRequest, null);
        }
        if (catalog.FindIssueCategory(report.Category) is not { } category)
        {
            return new SubmitResult(SubmitOutcome.UnknownCategory, null);
        }
        if (!ServiceArea.Contains(report.Lat, report.Lon))
        {
            return new SubmitResult(SubmitOutcome.OutsideServiceArea, null);
        }
        var now = clock.GetUtcNow();
        var home = catalog.NearestSubdistrict(report.Lat, report.Lon);
        var dueAt = now + _options.ResponseTarget(category);
        var dueResolveAt = now + _options.ResolveTarget(category);
        var candidate = new QueuedIssue(IssueId, report.Category, report.Lat, report.Lon, IssueStatuses.Submitted, home.Id, now, dueAt, false, dueResolveAt);

        var queue = GrainFactory.GetGrain<ISubdistrictIssuesGrain>(home.Id);
        // A retry finishes the link an earlier attempt recorded, even if that original has closed since; else it searches.
        var link = S.LinkingTo;
        string? originalStatus = null;
        while ((link ??= await FindOriginalAsync(candidate, home, queue)) is { } original)
        {
            originalStatus = await LinkAsync(original, report, requestFingerprint);
            if (originalStatus is not null)
            {
                break;
            }
            // A queue listed an issue that was never filed (its report failed to store and was not retried):
            // retire that ghost and search again.
            await GrainFactory.GetGrain<ISubdistrictIssuesGrain>(original.QueueId).UpdateAsync(candidate with { Id = original.IssueId, Status = IssueStatuses.Rejected });
            link = null;
        }

        S.Report = report;
        S.RequestFingerprint = requestFingerprint;
        S.LinkingTo = null;
        if (link is not null)
        {
            if (link.QueueId != home.Id)
            {
                // An earlier attempt may have opened this report in its own queue before the neighbour's issue appeared;
                // a linked report is listed nowhere (removing an absent entry writes nothing).
                await queue.UpdateAsync(candidate with { Status = IssueStatuses.Rejected });
            }
            S.Receipt = new IssueReceipt(IssueId, originalStatus!, home.Id, link.IssueId, now);
            await WriteAsync();
            return new SubmitResult(SubmitOutcome.Filed, S.Receipt);
        }

        S.Status = IssueStatuses.Submitted;
        S.DueAt = dueAt;
        S.DueResolveAt = dueResolveAt;
        S.History.Add(new IssueHistoryEntry(IssueStatuses.Submitted, now, report.ReporterId, null));
        S.Receipt = new IssueReceipt(IssueId, IssueStatuses.Submitted, home.Id, null, now);
        S.DayIndexStale = true;
        Notify(report.ReporterId, IssueStatuses.Submitted, StatusText(IssueStatuses.Submitted, 0));
        await WriteAsync();
        // The reminder drives the response clock and retries the outbox; it lives until the issue is closed and delivered.
        await this.RegisterOrUpdateReminder(TickReminder, _options.TickPeriod, _options.TickPeriod);
        await DeliverAsync();
        return new SubmitResult(SubmitOutcome.Filed, S.Receipt);
    }

    /// <summary>
    /// The open issue the report duplicates, left unchanged: first one routed to a neighbouring subdistrict (within the
    /// duplicate radius of a report, an issue can only belong to a subdistrict whose centre is at most twice that radius
    /// farther than the report's own), else one in the report's own subdistrict, whose queue opens the report if none is.
    /// </summary>
    /// <returns>Null when the report's own queue opened it.</returns>
    private async Task<IssueLink?> FindOriginalAsync(QueuedIssue candidate, Subdistrict home, ISubdistrictIssuesGrain queue)
    {
        var own = GeoMath.DistanceM(candidate.Lat, candidate.Lon, home.Lat, home.Lon);
        var neighbours = catalog.Subdistricts.Where(s => s.Id != home.Id
            && GeoMath.DistanceM(candidate.Lat, candidate.Lon, s.Lat, s.Lon) <= own + (2 * _options.DuplicateRadiusM));
        foreach (var neighbour in neighbours)
        {
            if (await GrainFactory.GetGrain<ISubdistrictIssuesGrain>(neighbour.Id).FindDuplicateAsync(candidate) is { } id)
            {
                return new IssueLink(id, neighbour.Id);
            }
        }
        return await queue.OpenOrFindDuplicateAsync(candidate) is { } original ? new IssueLink(original, home.Id) : null;
    }

    /// <summary>
    /// Makes the rider a co-reporter of the original, having first stored which original (one write, for duplicates only):
    /// the link is durable in the original before this report's receipt is, so a retry must finish this link, not search
    /// again and perhaps open a new issue while the rider stays the original's co-reporter.
    /// </summary>
    /// <returns>The original's status, or null if it was never filed.</returns>
    private async Task<string?> LinkAsync(IssueLink link, NewIssue report, string requestFingerprint)
    {
        if (S.LinkingTo != link)
        {
            S.LinkingTo = link;
            S.Report = report;
            S.RequestFingerprint = requestFingerprint;
            await WriteAsync();
        }
        return await GrainFactory.GetGrain<IIssueGrain>(link.IssueId).AddCoReporterAsync(report.ReporterId);
    }

    public async Task<IssueView?> GetAsync(IssueViewer viewer)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        if (S.Receipt is null)
        {
            return null;
        }
        if (S.Receipt.DuplicateOf is { } original)
        {
            return await GrainFactory.GetGrain<IIssueGrain>(original).GetAsync(viewer);
        }
        if (!SeesInFull(viewer))
        {
            return View().Public();
        }
        // A co-reporter shares the hazard, not the first reporter's identity (anyone within the duplicate radius can become one).
        return viewer.RiderId is { } rider && S.CoReporters.Contains(rider) ? View().WithoutRider(S.Report!.ReporterId) : View();
    }

    /// <summary>
    /// The riders who reported it (it is their report), the operators who act on it and admins. A rider id, free text and
    /// a street photo can identify a reporter, so everyone else (other riders, other subdistricts' operators) sees less.
    /// </summary>
    private bool SeesInFull(IssueViewer viewer) =>
        viewer.IsAdmin
        || viewer.OperatorOf == S.Receipt!.SubdistrictId
        || (viewer.RiderId is { } rider && (rider == S.Report!.ReporterId || S.CoReporters.Contains(rider)));

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
        S.DayIndexStale = true;
        // The admin's overdue queue follows an issue it lists until the issue closes and leaves it.
        S.OverdueQueueStale = S.ResolveOverdue;
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
            if (Escalate(clock.GetUtcNow()))
            {
                await WriteAsync();
            }
            await DeliverAsync();
        }
        await this.UnregisterReminderWhenIdleAsync(TickReminder, () => !NeedsTicks);
    }

    /// <summary>
    /// Flags a missed response or resolve target once, alerting the subdistrict's operators; a missed resolve target also
    /// puts the issue in the admin's overdue queue. The flags are written with the alerts, so each is raised exactly once.
    /// </summary>
    /// <returns>True when something was flagged (the state needs writing).</returns>
    private bool Escalate(DateTimeOffset now)
    {
        var escalated = false;
        if (IssueStatuses.AwaitsResponse(S.Status) && !S.Overdue && now >= S.DueAt)
        {
            S.Overdue = true;
            S.QueueStale = true;
            AlertOperators(OperatorAlerts.OverdueResponse,
                $"Issue {IssueId} ({S.Report!.Category}) is past its response target: no team on site since {S.DueAt:u}.");
            escalated = true;
        }
        if (IssueStatuses.IsOpen(S.Status) && !S.ResolveOverdue && DueResolveAt() is { } dueResolveAt && now >= dueResolveAt)
        {
            S.ResolveOverdue = true;
            S.OverdueQueueStale = true;
            AlertOperators(OperatorAlerts.OverdueResolve,
                $"Issue {IssueId} ({S.Report!.Category}) is past its resolve target ({dueResolveAt:u}) and was escalated to the district.");
            escalated = true;
        }
        return escalated;
    }

    private void AlertOperators(string kind, string text)
    {
        logger.LogInformation("Issue {IssueId}: {Kind}", IssueId, kind);
        _outbox.Notify(OperatorAlerts.KeyOf(S.Receipt!.SubdistrictId), new NotificationDraft($"issue:{IssueId}:{kind}", kind, IssueId, text));
    }

    /// <summary>Issues stored before resolve targets were tracked reckon theirs from the catalogue (null if the category is gone).</summary>
    private DateTimeOffset? DueResolveAt() => S.DueResolveAt
        ?? (catalog.FindIssueCategory(S.Report!.Category) is { } category ? S.Receipt!.ReportedAt + _options.ResolveTarget(category) : null);

    /// <summary>The response clock runs or something is undelivered (a linked report has neither: its issue does).</summary>
    private bool NeedsTicks => S.Receipt is { DuplicateOf: null }
        && (IssueStatuses.IsOpen(S.Status) || _outbox.HasPending || S.QueueStale || S.DayIndexStale || S.OverdueQueueStale);

    private void RecordAwards()
    {
        _outbox.Award(S.Report!.ReporterId, new LedgerCredit($"issue:{IssueId}:reporter", _points.ReporterPoints, "issue_resolved", IssueId));
        foreach (var coReporter in S.CoReporters.Order(StringComparer.Ordinal))
        {
            _outbox.Award(coReporter, new LedgerCredit($"issue:{IssueId}:co-reporter:{coReporter}", _points.CoReporterPoints, "issue_co_reported", IssueId));
        }
    }

    private void Notify(string riderId, string what, string text) =>
        _outbox.Notify(riderId, new NotificationDraft($"issue:{IssueId}:{what}:{riderId}", "issue_" + what, IssueId, text));

    /// <summary>
    /// The outbox, plus the queue entry, the day index entry and the overdue queue entry while the subdistrict, the day
    /// index or the admin's overdue queue has not acknowledged the latest status.
    /// </summary>
    private Task DeliverAsync()
    {
        List<OutboxDelivery> entries = [];
        if (S.QueueStale)
        {
            entries.Add(new OutboxDelivery(
                () => GrainFactory.GetGrain<ISubdistrictIssuesGrain>(S.Receipt!.SubdistrictId).UpdateAsync(Queued()), () => S.QueueStale = false));
        }
        if (S.DayIndexStale)
        {
            var entry = new IndexedIssue(IssueId, S.Report!.Category, S.Status, S.Receipt!.ReportedAt);
            entries.Add(new OutboxDelivery(
                () => GrainFactory.GetGrain<IIssueDayIndexGrain>(IssueDays.KeyOf(entry.ReportedAt)).UpdateAsync(entry), () => S.DayIndexStale = false));
        }
        if (S.OverdueQueueStale && DueResolveAt() is { } dueResolveAt)
        {
            var entry = new OverdueIssue(IssueId, S.Report!.Category, S.Status, S.Receipt!.SubdistrictId, S.Receipt.ReportedAt, dueResolveAt);
            entries.Add(new OutboxDelivery(
                () => GrainFactory.GetGrain<IOverdueIssuesGrain>(IOverdueIssuesGrain.Key).UpdateAsync(entry), () => S.OverdueQueueStale = false));
        }
        return _outbox.DeliverAsync(entries);
    }

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
        IssueId, S.Report!.Category, S.Report.Lat, S.Report.Lon, S.Status, S.Receipt!.SubdistrictId, S.Receipt.ReportedAt, S.DueAt, IsOverdue(),
        DueResolveAt());

    private IssueView View() => new(
        IssueId, S.Report!.Category, S.Report.Lat, S.Report.Lon, S.Report.Description, S.Status, S.Receipt!.SubdistrictId,
        S.DueAt, IsOverdue(), S.CoReporters.Count, S.Report.PhotoHash, [.. S.History], S.Receipt.ReportedAt,
        S.Report.MediaUrl, S.Report.Published, DueResolveAt());

    private Task WriteAsync() => state.WriteOrDeactivateAsync(this);
}
