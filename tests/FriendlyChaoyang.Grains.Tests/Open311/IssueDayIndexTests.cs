using FriendlyChaoyang.Issues;
using FriendlyChaoyang.Testing;
using static FriendlyChaoyang.Tests.Issues.IssueReports;

namespace FriendlyChaoyang.Tests.Open311;

/// <summary>The day index that Open311's GET requests reads, and the published reports it serves.</summary>
[Collection(ClusterCollection.Name)]
public sealed class IssueDayIndexTests(ClusterFixture fixture)
{
    [Fact]
    public async Task AFiledIssueIsListedUnderItsDayAndEachStatusChangeReachesTheIndex()
    {
        var issue = fixture.Client.GetGrain<IIssueGrain>($"iss-{Guid.NewGuid():N}");
        var receipt = await issue.FileAsync(Report($"r-{Guid.NewGuid():N}", "pothole", FreshSpot()));
        var day = fixture.Client.GetGrain<IIssueDayIndexGrain>(IssueDays.KeyOf(receipt.ReportedAt));

        var listed = await Eventually.ReadAsync(day.ListAsync, l => l.Any(i => i.Id == receipt.Id));
        Assert.Equal(new IndexedIssue(receipt.Id, "pothole", IssueStatuses.Submitted, receipt.ReportedAt), listed.Single(i => i.Id == receipt.Id));

        await issue.TransitionAsync(By(IssueStatuses.Rejected, receipt.SubdistrictId));
        await Eventually.ReadAsync(day.ListAsync, l => l.Single(i => i.Id == receipt.Id).Status == IssueStatuses.Rejected);
    }

    [Fact]
    public async Task ALinkedDuplicateIsNotListedAsARequestOfItsOwn()
    {
        var at = FreshSpot();
        var first = await fixture.Client.GetGrain<IIssueGrain>($"iss-{Guid.NewGuid():N}").FileAsync(Report($"r-{Guid.NewGuid():N}", "fallen_tree", at));
        var linked = await fixture.Client.GetGrain<IIssueGrain>($"iss-{Guid.NewGuid():N}").FileAsync(Report($"r-{Guid.NewGuid():N}", "fallen_tree", at));
        Assert.Equal(first.Id, linked.DuplicateOf);

        var day = fixture.Client.GetGrain<IIssueDayIndexGrain>(IssueDays.KeyOf(first.ReportedAt));
        var listed = await Eventually.ReadAsync(day.ListAsync, l => l.Any(i => i.Id == first.Id));
        Assert.DoesNotContain(listed, i => i.Id == linked.Id);
    }

    [Fact]
    public async Task APublishedReportKeepsItsDescriptionAndMediaInThePublicViewAndAnAppReportDoesNot()
    {
        var published = fixture.Client.GetGrain<IIssueGrain>($"iss-{Guid.NewGuid():N}");
        await published.FileAsync(Report($"r-{Guid.NewGuid():N}", "pothole", FreshSpot()) with
        {
            PhotoHash = null, MediaUrl = "https://img.example.com/1.jpg", Published = true,
        });
        var app = fixture.Client.GetGrain<IIssueGrain>($"iss-{Guid.NewGuid():N}");
        await app.FileAsync(Report($"r-{Guid.NewGuid():N}", "pothole", FreshSpot()));

        var seenPublished = (await published.GetAsync(IssueViewer.Anyone))!;
        Assert.Equal("test report", seenPublished.Description);
        Assert.Equal("https://img.example.com/1.jpg", seenPublished.MediaUrl);
        Assert.All(seenPublished.History, h => Assert.Null(h.By));
        var seenApp = (await app.GetAsync(IssueViewer.Anyone))!;
        Assert.Null(seenApp.Description);
        Assert.Null(seenApp.PhotoHash);
    }

    [Fact]
    public void TheDaysOfARangeIncludeBothEnds()
    {
        var from = new DateTimeOffset(2026, 1, 30, 23, 0, 0, TimeSpan.Zero);
        Assert.Equal(["2026-01-30", "2026-01-31", "2026-02-01"], IssueDays.Between(from, from.AddHours(26)));
        Assert.Equal(["2026-01-30"], IssueDays.Between(from, from));
    }
}
