using FriendlyChaoyang.Issues;
using FriendlyChaoyang.Points;
using FriendlyChaoyang.Testing;
using FriendlyChaoyang.Tests.Issues;
using Orleans.Runtime;
using static FriendlyChaoyang.Tests.Issues.IssueReports;

namespace FriendlyChaoyang.Tests.Points;

/// <summary>
/// The award for a resolved issue crosses two grains; these tests kill a silo while resolve calls are in flight and
/// replay them, then check each rider was paid exactly once.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ExactlyOnceAwardTests(ClusterFixture fixture)
{
    [Theory]
    [InlineData("ledger")]
    [InlineData("issue")]
    // The ledger's silo is already dead when the issue resolves: the award is recorded, its delivery cannot be
    // acknowledged, and only the issue's retry reminder can pay it.
    [InlineData("ledger-dead-before-resolve")]
    public async Task KillingTheSiloHostingTheLedgerOrTheIssueMidAwardStillPaysEveryoneExactlyOnce(string victim)
    {
        var reporter = $"r-{Guid.NewGuid():N}";
        var coReporter = $"r-{Guid.NewGuid():N}";
        var spot = FreshSpot();
        var issue = fixture.Client.GetGrain<IIssueGrain>($"iss-{Guid.NewGuid():N}");
        var receipt = await issue.FileAsync(Report(reporter, "manhole_cover", spot));
        var linked = await fixture.Client.GetGrain<IIssueGrain>($"iss-{Guid.NewGuid():N}").FileAsync(Report(coReporter, "manhole_cover", spot));
        Assert.Equal(receipt.Id, linked.DuplicateOf);
        await issue.TransitionAsync(By(IssueStatuses.Dispatched, receipt.SubdistrictId));
        await issue.TransitionAsync(By(IssueStatuses.OnSite, receipt.SubdistrictId));
        var ledger = fixture.Client.GetGrain<IPointsLedgerGrain>(reporter);
        await ledger.GetSummaryAsync();
        var host = await fixture.HostOfAsync(victim.StartsWith("ledger", StringComparison.Ordinal) ? ledger : issue);
        var silo = fixture.Cluster.Silos.Single(s => s.SiloAddress.Equals(host));
        var resolve = By(IssueStatuses.Resolved, receipt.SubdistrictId);

        try
        {
            // The kill races the first resolves: it lands between recording the award and the ledger's acknowledgement,
            // or around it; every ordering must pay once.
            if (victim == "ledger-dead-before-resolve")
            {
                await fixture.Cluster.KillSiloAsync(silo);
            }
            var racing = Enumerable.Range(0, 4).Select(_ => TryResolveAsync(issue, resolve)).ToList();
            if (victim != "ledger-dead-before-resolve")
            {
                await fixture.Cluster.KillSiloAsync(silo);
            }
            await Task.WhenAll(racing);
            // Clients retry what they could not see acknowledged, several at once.
            var replays = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => ResolveUntilAnsweredAsync(issue, resolve)));
            Assert.All(replays, r => Assert.Contains(r, new[] { TransitionOutcome.Moved, TransitionOutcome.Unchanged }));

            var coLedger = fixture.Client.GetGrain<IPointsLedgerGrain>(coReporter);
            var paid = await Eventually.ReadAsync(
                async () => (await ledger.GetSummaryAsync(), await coLedger.GetSummaryAsync()),
                b => b.Item1.Balance >= 2 && b.Item2.Balance >= 1, seconds: 60);
            // Let the reminder run a few more rounds: a second payment would show up now.
            await Task.Delay(TimeSpan.FromSeconds(3));

            Assert.Equal(2, paid.Item1.Balance);
            Assert.Equal(1, paid.Item2.Balance);
            var entries = (await ledger.GetPageAsync(1, 50)).Entries;
            var entry = Assert.Single(entries);
            Assert.Equal($"issue:{receipt.Id}:reporter", entry.Id);
            Assert.Equal(2, (await ledger.GetSummaryAsync()).Balance);
            Assert.Equal(1, (await coLedger.GetSummaryAsync()).Balance);
            Assert.Equal(IssueStatuses.Resolved, (await issue.GetAsync())!.Status);
        }
        finally
        {
            await fixture.Cluster.StartAdditionalSiloAsync();
        }
    }

    private static async Task TryResolveAsync(IIssueGrain issue, IssueTransition resolve)
    {
        try
        {
            await issue.TransitionAsync(resolve);
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansException or StorageUnavailableException)
        {
            // The caller never saw an answer; the replay below is its retry.
        }
    }

    private static async Task<TransitionOutcome> ResolveUntilAnsweredAsync(IIssueGrain issue, IssueTransition resolve)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return (await issue.TransitionAsync(resolve)).Outcome;
            }
            catch (Exception ex) when (attempt < 20 && ex is TimeoutException or OrleansException or StorageUnavailableException)
            {
                await Task.Delay(500);
            }
        }
    }
}
