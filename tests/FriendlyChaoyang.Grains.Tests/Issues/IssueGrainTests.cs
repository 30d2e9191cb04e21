using FriendlyChaoyang.Issues;
using FriendlyChaoyang.Points;
using FriendlyChaoyang.Testing;

namespace FriendlyChaoyang.Tests.Issues;

[Collection(ClusterCollection.Name)]
public sealed class IssueGrainTests(ClusterFixture fixture)
{
    private static int _spot;

    /// <summary>A point of its own for each report, about 300 m from the others, so tests never link each other's reports.</summary>
    public static (double Lat, double Lon) FreshSpot()
    {
        var n = Interlocked.Increment(ref _spot);
        return (39.94 + (n * 0.003), 116.38 + (n * 0.0005));
    }

    public static NewIssue Report(string riderId, string category, (double Lat, double Lon) at) =>
        new(riderId, category, at.Lat, at.Lon, "test report", new string('a', 64));

    public static IssueTransition By(string to, string subdistrictId) => new(to, null, $"op-{subdistrictId}", subdistrictId);

    [Fact]
    public async Task AReportAcrossASubdistrictBoundaryFromAnOpenIssueIsStillLinkedToIt()
    {
        // Two points 30 m apart on either side of the Jianwai/Chaowai boundary (the bisector of their centres).
        var a = Seeds.SeedData.Subdistricts.Single(s => s.Id == "jianwai");
        var b = Seeds.SeedData.Subdistricts.Single(s => s.Id == "chaowai");
        var f = 15 / Seeds.GeoMath.DistanceM(a.Lat, a.Lon, b.Lat, b.Lon);
        (double Lat, double Lon) At(double t) => (a.Lat + ((b.Lat - a.Lat) * t), a.Lon + ((b.Lon - a.Lon) * t));
        var (first, second) = (At(0.5 - f), At(0.5 + f));
        Assert.Equal("jianwai", Seeds.SeedData.NearestSubdistrict(first.Lat, first.Lon).Id);
        Assert.Equal("chaowai", Seeds.SeedData.NearestSubdistrict(second.Lat, second.Lon).Id);

        var original = await fixture.Client.GetGrain<IIssueGrain>($"iss-{Guid.NewGuid():N}")
            .SubmitAsync(Report($"r-{Guid.NewGuid():N}", "waterlogging", first));
        var across = await fixture.Client.GetGrain<IIssueGrain>($"iss-{Guid.NewGuid():N}")
            .SubmitAsync(Report($"r-{Guid.NewGuid():N}", "waterlogging", second));

        Assert.Null(original.DuplicateOf);
        Assert.Equal(original.Id, across.DuplicateOf);
        Assert.DoesNotContain(await fixture.Client.GetGrain<ISubdistrictIssuesGrain>("chaowai").ListAsync(), q => q.Id == across.Id);
    }

    [Fact]
    public async Task AnIssuePastItsResponseTargetIsFlaggedOverdueAndListedFirstInTheQueue()
    {
        var spot = FreshSpot();
        var older = fixture.Client.GetGrain<IIssueGrain>($"iss-{Guid.NewGuid():N}");
        var olderReceipt = await older.SubmitAsync(Report($"r-{Guid.NewGuid():N}", "pothole", spot));
        var urgent = fixture.Client.GetGrain<IIssueGrain>($"iss-{Guid.NewGuid():N}");
        var urgentReceipt = await urgent.SubmitAsync(Report($"r-{Guid.NewGuid():N}", ClusterFixture.ShortResponseCategory, (spot.Lat + 0.001, spot.Lon)));
        Assert.Equal(olderReceipt.SubdistrictId, urgentReceipt.SubdistrictId);
        var queue = fixture.Client.GetGrain<ISubdistrictIssuesGrain>(urgentReceipt.SubdistrictId);

        var before = await queue.ListAsync();
        Assert.False(before.Single(i => i.Id == urgentReceipt.Id).Overdue);
        Assert.True(IndexOf(before, olderReceipt.Id) < IndexOf(before, urgentReceipt.Id), "oldest first while nothing is overdue");

        var view = await WaitForAsync(() => urgent.GetAsync(), v => v!.Overdue, seconds: 20);
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
            fixture.Client.GetGrain<IIssueGrain>($"iss-{Guid.NewGuid():N}").SubmitAsync(Report(rider, "broken_signal", (spot.Lat + (i * 0.00003), spot.Lon)))));
        // The first reporter of the opened issue reports it again: still counted once.
        var opened = Assert.Single(receipts, r => r.DuplicateOf is null);
        var firstReporter = riders[Array.IndexOf(receipts, opened)];
        var again = await fixture.Client.GetGrain<IIssueGrain>($"iss-{Guid.NewGuid():N}").SubmitAsync(Report(firstReporter, "broken_signal", spot));
        var coReporter = riders.First(r => r != firstReporter);
        await fixture.Client.GetGrain<IIssueGrain>($"iss-{Guid.NewGuid():N}").SubmitAsync(Report(coReporter, "broken_signal", spot));

        Assert.Equal(opened.Id, again.DuplicateOf);
        Assert.All(receipts.Where(r => r != opened), r => Assert.Equal(opened.Id, r.DuplicateOf));
        var issue = fixture.Client.GetGrain<IIssueGrain>(opened.Id);
        Assert.Equal(9, (await issue.GetAsync())!.CoReporters);

        foreach (var to in new[] { IssueStatuses.Dispatched, IssueStatuses.OnSite, IssueStatuses.Resolved })
        {
            Assert.Equal(TransitionOutcome.Moved, (await issue.TransitionAsync(By(to, opened.SubdistrictId))).Outcome);
        }
        var balances = await WaitForAsync(
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
        var receipt = await issue.SubmitAsync(Report(reporter, "damaged_railing", FreshSpot()));

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

    public static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }
            await Task.Delay(250);
        }
    }
}
