using FriendlyChaoyang.Geo;
using FriendlyChaoyang.Issues;
using FriendlyChaoyang.Points;
using FriendlyChaoyang.Seeds;
using FriendlyChaoyang.Testing;
using static FriendlyChaoyang.Tests.Issues.IssueReports;

namespace FriendlyChaoyang.Tests.Issues;

[Collection(ClusterCollection.Name)]
public sealed class IssueGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task AReportOfAnUnknownCategoryOrFromOutsideTheServiceAreaIsRefusedAndNothingIsFiled()
    {
        var unknown = fixture.Client.GetGrain<IIssueGrain>($"iss-{Guid.NewGuid():N}");
        var outside = fixture.Client.GetGrain<IIssueGrain>($"iss-{Guid.NewGuid():N}");

        var byCategory = await unknown.SubmitAsync(Report($"r-{Guid.NewGuid():N}", "no_such_category", FreshSpot()), "first");
        var byPlace = await outside.SubmitAsync(Report($"r-{Guid.NewGuid():N}", "pothole", (31.23, 121.47)), "first");

        Assert.Equal(new SubmitResult(SubmitOutcome.UnknownCategory, null), byCategory);
        Assert.Equal(new SubmitResult(SubmitOutcome.OutsideServiceArea, null), byPlace);
        Assert.Null(await unknown.ReplayAsync("first"));
        Assert.Null(await outside.GetAsync());
    }

    [Fact]
    public async Task AFiledIssueAnswersItsOwnRequestWithItsReceiptAndAnotherRequestWithARefusalChangingNothing()
    {
        var issue = fixture.Client.GetGrain<IIssueGrain>($"iss-{Guid.NewGuid():N}");
        var report = Report($"r-{Guid.NewGuid():N}", "pothole", FreshSpot());
        var receipt = await issue.FileAsync(report);
        var other = report with { Description = "another report under the same key" };

        Assert.Equal(new SubmitResult(SubmitOutcome.Filed, receipt), await issue.SubmitAsync(report, Fingerprint(report)));
        Assert.Equal(new SubmitResult(SubmitOutcome.Filed, receipt), await issue.ReplayAsync(Fingerprint(report)));
        Assert.Equal(new SubmitResult(SubmitOutcome.DifferentRequest, null), await issue.SubmitAsync(other, Fingerprint(other)));
        Assert.Equal(new SubmitResult(SubmitOutcome.DifferentRequest, null), await issue.ReplayAsync(Fingerprint(other)));
        Assert.Equal(report.Description, (await issue.GetAsync())!.Description);
    }

    [Fact]
    public async Task ReportersOperatorsOfTheSubdistrictAndAdminsSeeAnIssueInFullCoReportersWithoutTheReporterAndEveryoneElseWithoutRiderIdentity()
    {
        var (reporter, coReporter) = ($"r-{Guid.NewGuid():N}", $"r-{Guid.NewGuid():N}");
        var spot = FreshSpot();
        var receipt = await fixture.Client.GetGrain<IIssueGrain>($"iss-{Guid.NewGuid():N}").FileAsync(Report(reporter, "pothole", spot));
        var linked = fixture.Client.GetGrain<IIssueGrain>($"iss-{Guid.NewGuid():N}");
        Assert.Equal(receipt.Id, (await linked.FileAsync(Report(coReporter, "pothole", spot))).DuplicateOf);

        var full = new[] { IssueViewer.Rider(reporter), IssueViewer.Rider(coReporter), IssueViewer.Operator(receipt.SubdistrictId), IssueViewer.Admin };
        var others = new[] { IssueViewer.Rider($"r-{Guid.NewGuid():N}"), IssueViewer.Operator("no-such-place"), IssueViewer.Anyone };
        foreach (var viewer in full)
        {
            // Asked through the linked report's id: the answer is the issue it follows, for the same viewer.
            var view = (await linked.GetAsync(viewer))!;
            // A co-reporter sees the hazard in full but not who reported it first.
            var firstBy = viewer.RiderId == coReporter ? null : reporter;
            Assert.Equal((receipt.Id, "test report", firstBy, 1), (view.Id, view.Description, view.History[0].By, view.CoReporters));
            Assert.NotNull(view.PhotoHash);
        }
        foreach (var viewer in others)
        {
            var view = (await linked.GetAsync(viewer))!;
            Assert.Equal((receipt.Id, null, null, 1), (view.Id, view.Description, view.PhotoHash, view.CoReporters));
            Assert.All(view.History, h => Assert.Null(h.By));
        }
    }

    [Fact]
    public async Task AReportAcrossASubdistrictBoundaryFromAnOpenIssueIsStillLinkedToIt()
    {
        var (first, second) = AcrossTheJianwaiChaowaiBoundary();
        Assert.Equal("jianwai", GeoMath.NearestSubdistrict(SeedData.Subdistricts, first.Lat, first.Lon).Id);
        Assert.Equal("chaowai", GeoMath.NearestSubdistrict(SeedData.Subdistricts, second.Lat, second.Lon).Id);

        var original = await fixture.Client.GetGrain<IIssueGrain>($"iss-{Guid.NewGuid():N}")
            .FileAsync(Report($"r-{Guid.NewGuid():N}", "waterlogging", first));
        var across = await fixture.Client.GetGrain<IIssueGrain>($"iss-{Guid.NewGuid():N}")
            .FileAsync(Report($"r-{Guid.NewGuid():N}", "waterlogging", second));

        Assert.Null(original.DuplicateOf);
        Assert.Equal(original.Id, across.DuplicateOf);
        Assert.DoesNotContain(await fixture.Client.GetGrain<ISubdistrictIssuesGrain>("chaowai").ListAsync(), q => q.Id == across.Id);
    }

    [Fact]
    public async Task AnIssuePastItsResponseTargetIsFlaggedOverdueAndListedFirstInTheQueue()
    {
        var spot = FreshSpot();
        var older = fixture.Client.GetGrain<IIssueGrain>($"iss-{Guid.NewGuid():N}");
        var olderReceipt = await older.FileAsync(Report($"r-{Guid.NewGuid():N}", "pothole", spot));
        var urgent = fixture.Client.GetGrain<IIssueGrain>($"iss-{Guid.NewGuid():N}");
        var urgentReceipt = await urgent.FileAsync(Report($"r-{Guid.NewGuid():N}", ClusterFixture.ShortResponseCategory, (spot.Lat + 0.001, spot.Lon)));
        Assert.Equal(olderReceipt.SubdistrictId, urgentReceipt.SubdistrictId);
        var queue = fixture.Client.GetGrain<ISubdistrictIssuesGrain>(urgentReceipt.SubdistrictId);

        var before = await queue.ListAsync();
        Assert.False(before.Single(i => i.Id == urgentReceipt.Id).Overdue);
        Assert.True(IndexOf(before, olderReceipt.Id) < IndexOf(before, urgentReceipt.Id), "oldest first while nothing is overdue");

        var view = await Eventually.ReadAsync(() => urgent.GetAsync(), v => v!.Overdue, seconds: 20);
        var after = await queue.ListAsync();

        Assert.True(view!.Overdue);
        Assert.True(after.Single(i => i.Id == urgentReceipt.Id).Overdue);
        Assert.True(IndexOf(after, urgentReceipt.Id) < IndexOf(after, olderReceipt.Id), "overdue first");
        Assert.False((await older.GetAsync())!.Overdue);
    }

    [Fact]
    public async Task TenRidersReportingOneHazardAtOnceOpenOneIssueAndEachCountsOnce()
    {
        var spot = FreshSpot();
        var riders = Enumerable.Range(0, 10).Select(i => $"r-{Guid.NewGuid():N}").ToList();

        var receipts = await Task.WhenAll(riders.Select((rider, i) =>
            fixture.Client.GetGrain<IIssueGrain>($"iss-{Guid.NewGuid():N}").FileAsync(Report(rider, "broken_signal", (spot.Lat + (i * 0.00003), spot.Lon)))));
        // The first reporter of the opened issue reports it again: still counted once.
        var opened = Assert.Single(receipts, r => r.DuplicateOf is null);
        var firstReporter = riders[Array.IndexOf(receipts, opened)];
        var again = await fixture.Client.GetGrain<IIssueGrain>($"iss-{Guid.NewGuid():N}").FileAsync(Report(firstReporter, "broken_signal", spot));
        var coReporter = riders.First(r => r != firstReporter);
        await fixture.Client.GetGrain<IIssueGrain>($"iss-{Guid.NewGuid():N}").FileAsync(Report(coReporter, "broken_signal", spot));

        Assert.Equal(opened.Id, again.DuplicateOf);
        Assert.All(receipts.Where(r => r != opened), r => Assert.Equal(opened.Id, r.DuplicateOf));
        var issue = fixture.Client.GetGrain<IIssueGrain>(opened.Id);
        Assert.Equal(9, (await issue.GetAsync())!.CoReporters);

        foreach (var to in new[] { IssueStatuses.Dispatched, IssueStatuses.OnSite, IssueStatuses.Resolved })
        {
            Assert.Equal(TransitionOutcome.Moved, (await issue.TransitionAsync(By(to, opened.SubdistrictId))).Outcome);
        }
        var balances = await Eventually.ReadAsync(
            () => Task.WhenAll(riders.Select(r => fixture.Client.GetGrain<IPointsLedgerGrain>(r).GetSummaryAsync())),
            b => b.Sum(s => s.Balance) == 11);
        Assert.Equal(2, balances[riders.IndexOf(firstReporter)].Balance);
        Assert.Equal(9, balances.Count(b => b.Balance == 1));
    }

    [Fact]
    public async Task ARejectedIssuePaysNothingAndIllegalMovesChangeNothing()
    {
        var reporter = $"r-{Guid.NewGuid():N}";
        var issue = fixture.Client.GetGrain<IIssueGrain>($"iss-{Guid.NewGuid():N}");
        var receipt = await issue.FileAsync(Report(reporter, "damaged_railing", FreshSpot()));

        Assert.Equal(TransitionOutcome.Illegal, (await issue.TransitionAsync(By(IssueStatuses.OnSite, receipt.SubdistrictId))).Outcome);
        Assert.Equal(TransitionOutcome.WrongSubdistrict, (await issue.TransitionAsync(By(IssueStatuses.Dispatched, "no-such-place"))).Outcome);
        Assert.Equal(TransitionOutcome.Moved, (await issue.TransitionAsync(By(IssueStatuses.Rejected, receipt.SubdistrictId))).Outcome);
        Assert.Equal(TransitionOutcome.Illegal, (await issue.TransitionAsync(By(IssueStatuses.Resolved, receipt.SubdistrictId))).Outcome);
        await Task.Delay(1500);

        Assert.Equal(0, (await fixture.Client.GetGrain<IPointsLedgerGrain>(reporter).GetSummaryAsync()).Balance);
        Assert.Equal([IssueStatuses.Submitted, IssueStatuses.Rejected], (await issue.GetAsync())!.History.Select(h => h.Status).ToArray());
        var queue = await fixture.Client.GetGrain<ISubdistrictIssuesGrain>(receipt.SubdistrictId).ListAsync();
        Assert.DoesNotContain(queue, i => i.Id == receipt.Id);
    }

    private static int IndexOf(IReadOnlyList<QueuedIssue> queue, string id) => queue.Select((q, i) => (q, i)).Single(x => x.q.Id == id).i;
}
