using FriendlyChaoyang.Issues;
using FriendlyChaoyang.Points;
using FriendlyChaoyang.Testing;
using static FriendlyChaoyang.Tests.Issues.IssueReports;

namespace FriendlyChaoyang.Tests.Issues;

/// <summary>Reports whose own write fails after they changed another issue's queue or co-reporters, then are retried.</summary>
[Collection(ClusterCollection.Name)]
public sealed class IssueLinkRetryTests(ClusterFixture fixture)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AReportLinkedBeforeItsReceiptFailedToStoreIsRetriedIntoTheSameLinkAfterTheOriginalIsResolvedAndPaysItsRiderOnce(bool acrossABoundary)
    {
        var spot = FreshSpot();
        var (first, second) = acrossABoundary ? AcrossTheJianwaiChaowaiBoundary() : (spot, spot);
        var rider = $"r-{Guid.NewGuid():N}";
        var original = await fixture.Client.GetGrain<IIssueGrain>($"iss-{Guid.NewGuid():N}").FileAsync(Report($"r-{Guid.NewGuid():N}", "road_collapse", first));
        var linked = fixture.Client.GetGrain<IIssueGrain>($"iss-{Guid.NewGuid():N}");
        var report = Report(rider, "road_collapse", second);
        WriteFaults.FailNextWrite<IssueState>(linked.GetGrainId(), s => s.Receipt is not null);

        await Assert.ThrowsAsync<StorageUnavailableException>(() => linked.SubmitAsync(report, Fingerprint(report)));
        var other = report with { Description = "another report under the same key" };
        Assert.Equal(new SubmitResult(SubmitOutcome.DifferentRequest, null), await linked.SubmitAsync(other, Fingerprint(other)));
        var issue = fixture.Client.GetGrain<IIssueGrain>(original.Id);
        foreach (var to in new[] { IssueStatuses.Dispatched, IssueStatuses.OnSite, IssueStatuses.Resolved })
        {
            Assert.Equal(TransitionOutcome.Moved, (await issue.TransitionAsync(By(to, original.SubdistrictId))).Outcome);
        }
        var retried = await linked.FileAsync(report);

        // The rider already was the original's co-reporter: the retry is that link, not a new issue with the rider as reporter.
        Assert.Equal((original.Id, IssueStatuses.Resolved), (retried.DuplicateOf, retried.Status));
        Assert.Equal(1, (await issue.GetAsync())!.CoReporters);
        var ledger = fixture.Client.GetGrain<IPointsLedgerGrain>(rider);
        await Eventually.ReadAsync(ledger.GetSummaryAsync, s => s.Balance > 0);
        await Task.Delay(1000);
        var entries = (await ledger.GetPageAsync(1, 10)).Entries;
        Assert.Equal([$"issue:{original.Id}:co-reporter:{rider}"], entries.Select(e => e.Id));
    }

    [Fact]
    public async Task AReportLinkedToAnIssueThatNeverStoredItsReceiptOpensInsteadAndTheRetriedIssueLinksToIt()
    {
        var spot = FreshSpot();
        var ghost = fixture.Client.GetGrain<IIssueGrain>($"iss-{Guid.NewGuid():N}");
        var ghostReport = Report($"r-{Guid.NewGuid():N}", "road_collapse", spot);
        WriteFaults.FailNextWrite<IssueState>(ghost.GetGrainId(), s => s.Receipt is not null);
        await Assert.ThrowsAsync<StorageUnavailableException>(() => ghost.SubmitAsync(ghostReport, Fingerprint(ghostReport)));

        var opened = await fixture.Client.GetGrain<IIssueGrain>($"iss-{Guid.NewGuid():N}").FileAsync(Report($"r-{Guid.NewGuid():N}", "road_collapse", spot));
        var retried = await ghost.FileAsync(ghostReport);

        Assert.Null(opened.DuplicateOf);
        Assert.Equal(opened.Id, retried.DuplicateOf);
        Assert.Equal(1, (await fixture.Client.GetGrain<IIssueGrain>(opened.Id).GetAsync())!.CoReporters);
        var queue = await fixture.Client.GetGrain<ISubdistrictIssuesGrain>(opened.SubdistrictId).ListAsync();
        Assert.Equal([opened.Id], queue.Where(q => q.Id == opened.Id || q.Id == retried.Id).Select(q => q.Id));
    }

    [Fact]
    public async Task AReportOpenedInItsQueueThenRetriedIntoALinkAcrossABoundaryLeavesItsQueue()
    {
        var (inJianwai, inChaowai) = AcrossTheJianwaiChaowaiBoundary();
        var original = await fixture.Client.GetGrain<IIssueGrain>($"iss-{Guid.NewGuid():N}").FileAsync(Report($"r-{Guid.NewGuid():N}", "fallen_wire", inJianwai));
        // The two reports racing across the boundary: the report's first attempt does not see the original in its queue.
        var jianwai = fixture.Client.GetGrain<ISubdistrictIssuesGrain>("jianwai");
        var entry = (await jianwai.ListAsync()).Single(q => q.Id == original.Id);
        await jianwai.UpdateAsync(entry with { Status = IssueStatuses.Rejected });
        var report = Report($"r-{Guid.NewGuid():N}", "fallen_wire", inChaowai);
        var linked = fixture.Client.GetGrain<IIssueGrain>($"iss-{Guid.NewGuid():N}");
        WriteFaults.FailNextWrite<IssueState>(linked.GetGrainId(), s => s.Receipt is not null);
        await Assert.ThrowsAsync<StorageUnavailableException>(() => linked.SubmitAsync(report, Fingerprint(report)));
        var chaowai = fixture.Client.GetGrain<ISubdistrictIssuesGrain>("chaowai");
        Assert.Contains(await chaowai.ListAsync(), q => q.Id == linked.GetPrimaryKeyString());
        await jianwai.UpdateAsync(entry);

        var retried = await linked.FileAsync(report);

        Assert.Equal(original.Id, retried.DuplicateOf);
        Assert.DoesNotContain(await chaowai.ListAsync(), q => q.Id == retried.Id);
    }
}
