using FriendlyChaoyang.Issues;
using FriendlyChaoyang.Notifications;
using FriendlyChaoyang.Testing;
using static FriendlyChaoyang.Tests.Issues.IssueReports;

namespace FriendlyChaoyang.Tests.Escalation;

/// <summary>
/// The test cluster gives <see cref="ClusterFixture.ShortResponseCategory"/> a 2 s response target and a 4 s resolve target,
/// and ticks issues' reminders every second.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class EscalationTests(ClusterFixture fixture)
{
    /// <summary>Reminder ticks to wait after the alerts came, so a second alert would have come too.</summary>
    private static readonly TimeSpan FewMoreTicks = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task AnIssuePastItsResponseThenItsResolveTargetAlertsItsSubdistrictsOperatorsOnceForEach()
    {
        var riderId = $"r-{Guid.NewGuid():N}";
        var issue = fixture.Client.GetGrain<IIssueGrain>($"iss-{Guid.NewGuid():N}");
        var receipt = await issue.FileAsync(Report(riderId, ClusterFixture.ShortResponseCategory, FreshSpot()));
        var view = await issue.GetAsync();
        Assert.Equal(receipt.ReportedAt + ClusterFixture.ShortResolveTarget, view!.DueResolveAt);

        var alerts = await BothAlertsAsync(receipt);
        await Task.Delay(FewMoreTicks);
        alerts = await AlertsAsync(receipt);

        Assert.Equal([OperatorAlerts.OverdueResponse, OperatorAlerts.OverdueResolve], alerts.Select(a => a.Kind));
        Assert.All(alerts, a => Assert.Contains(receipt.Id, a.Text, StringComparison.Ordinal));
        var riderNotes = await fixture.Client.GetGrain<INotificationsGrain>(riderId).ListAsync(0);
        Assert.DoesNotContain(riderNotes, n => n.Kind.StartsWith("overdue", StringComparison.Ordinal));
        var other = fixture.Client.GetGrain<INotificationsGrain>(OperatorAlerts.KeyOf(OtherSubdistrict(receipt.SubdistrictId)));
        Assert.DoesNotContain(await other.ListAsync(0), a => a.IssueId == receipt.Id);
    }

    [Fact]
    public async Task OpenIssuesPastTheirResolveTargetFillTheDistrictOverdueQueueMostOverdueFirstAndLeaveItWhenClosed()
    {
        var onTime = fixture.Client.GetGrain<IIssueGrain>($"iss-{Guid.NewGuid():N}");
        var onTimeReceipt = await onTime.FileAsync(Report($"r-{Guid.NewGuid():N}", ClusterFixture.ShortResponseCategory, FreshSpot()));
        foreach (var to in new[] { IssueStatuses.Dispatched, IssueStatuses.OnSite, IssueStatuses.Resolved })
        {
            await onTime.TransitionAsync(By(to, onTimeReceipt.SubdistrictId));
        }
        var first = fixture.Client.GetGrain<IIssueGrain>($"iss-{Guid.NewGuid():N}");
        var firstReceipt = await first.FileAsync(Report($"r-{Guid.NewGuid():N}", ClusterFixture.ShortResponseCategory, FreshSpot()));
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        var second = fixture.Client.GetGrain<IIssueGrain>($"iss-{Guid.NewGuid():N}");
        var secondReceipt = await second.FileAsync(Report($"r-{Guid.NewGuid():N}", ClusterFixture.ShortResponseCategory, FreshSpot()));
        var queue = fixture.Client.GetGrain<IOverdueIssuesGrain>(IOverdueIssuesGrain.Key);

        var listed = await Eventually.ReadAsync(queue.ListAsync,
            l => l.Any(i => i.Id == firstReceipt.Id) && l.Any(i => i.Id == secondReceipt.Id), seconds: 30);
        Assert.True(IndexOf(listed, firstReceipt.Id) < IndexOf(listed, secondReceipt.Id), "most overdue first");
        var entry = listed.Single(i => i.Id == firstReceipt.Id);
        Assert.Equal(firstReceipt.ReportedAt + ClusterFixture.ShortResolveTarget, entry.DueResolveAt);
        Assert.Equal(firstReceipt.SubdistrictId, entry.SubdistrictId);

        await first.TransitionAsync(By(IssueStatuses.Rejected, firstReceipt.SubdistrictId));
        var after = await Eventually.ReadAsync(queue.ListAsync, l => l.All(i => i.Id != firstReceipt.Id), seconds: 30);

        Assert.Contains(after, i => i.Id == secondReceipt.Id);
        Assert.DoesNotContain(after, i => i.Id == onTimeReceipt.Id);
        Assert.DoesNotContain(await AlertsAsync(onTimeReceipt), a => a.Kind == OperatorAlerts.OverdueResolve);
    }

    [Fact]
    public async Task TheAlertsStillComeOnceWhenTheSiloHoldingTheIssueDies()
    {
        var issue = fixture.Client.GetGrain<IIssueGrain>($"iss-{Guid.NewGuid():N}");
        var receipt = await issue.FileAsync(Report($"r-{Guid.NewGuid():N}", ClusterFixture.ShortResponseCategory, FreshSpot()));
        var host = await fixture.HostOfAsync(issue);

        await fixture.Cluster.KillSiloAsync(fixture.Cluster.Silos.Single(s => s.SiloAddress.Equals(host)));
        await fixture.Cluster.StartAdditionalSiloAsync();
        await BothAlertsAsync(receipt, seconds: 90);
        await Task.Delay(FewMoreTicks);
        var alerts = await AlertsAsync(receipt);

        Assert.Equal([OperatorAlerts.OverdueResponse, OperatorAlerts.OverdueResolve], alerts.Select(a => a.Kind));
        Assert.Contains(await fixture.Client.GetGrain<IOverdueIssuesGrain>(IOverdueIssuesGrain.Key).ListAsync(), i => i.Id == receipt.Id);
    }

    private Task<IReadOnlyList<Notification>> BothAlertsAsync(IssueReceipt receipt, int seconds = 30) =>
        Eventually.ReadAsync(() => AlertsAsync(receipt), a => a.Any(n => n.Kind == OperatorAlerts.OverdueResolve), seconds);

    private async Task<IReadOnlyList<Notification>> AlertsAsync(IssueReceipt receipt) =>
        [.. (await fixture.Client.GetGrain<INotificationsGrain>(OperatorAlerts.KeyOf(receipt.SubdistrictId)).ListAsync(0))
            .Where(a => a.IssueId == receipt.Id)];

    private static string OtherSubdistrict(string subdistrictId) => subdistrictId == "jianwai" ? "chaowai" : "jianwai";

    private static int IndexOf(IReadOnlyList<OverdueIssue> list, string id) => list.Select(i => i.Id).ToList().IndexOf(id);
}
