using FriendlyChaoyang.Points;
using FriendlyChaoyang.Testing;

namespace FriendlyChaoyang.Tests.Points;

[Collection(ClusterCollection.Name)]
public sealed class PointsLedgerTests(ClusterFixture fixture)
{
    [Fact]
    public async Task ACreditDeliveredAgainWithTheSameIdIsPaidOnce()
    {
        var ledger = fixture.Client.GetGrain<IPointsLedgerGrain>($"r-{Guid.NewGuid():N}");
        var credit = new LedgerCredit("issue:iss-1:reporter", 2, "issue_resolved", "iss-1");

        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => ledger.CreditAsync(credit)));
        await ledger.CreditAsync(credit with { Amount = 5 });

        var page = await ledger.GetPageAsync(1, 20);
        Assert.Equal(2, page.Balance);
        Assert.Single(page.Entries);
    }

    [Fact]
    public async Task AnUnconfirmedHoldExpiresAndItsPointsCanBeSpentAgain()
    {
        var ledger = fixture.Client.GetGrain<IPointsLedgerGrain>($"r-{Guid.NewGuid():N}");
        await ledger.CreditAsync(new LedgerCredit("grant:1", 10, "test_grant", "test"));

        Assert.Equal(HoldStatus.Held, await ledger.HoldAsync(new LedgerHold("H1", 10, "redeem:laundry", "redemption:H1", DateTimeOffset.UtcNow.AddSeconds(1))));
        Assert.Equal(HoldStatus.InsufficientPoints, await ledger.HoldAsync(new LedgerHold("H2", 1, "redeem:tea", "redemption:H2", DateTimeOffset.UtcNow.AddHours(1))));
        var released = await Eventually.ReadAsync(() => ledger.GetSummaryAsync(), s => s.Held == 0, seconds: 20);

        Assert.Equal(0, released.Held);
        Assert.Equal(10, released.Balance);
        Assert.Equal(HoldStatus.Expired, await ledger.PostAsync("H1"));
        Assert.Equal(HoldStatus.Held, await ledger.HoldAsync(new LedgerHold("H3", 10, "redeem:laundry", "redemption:H3", DateTimeOffset.UtcNow.AddHours(1))));
    }

    [Fact]
    public async Task PostingAndReleasingAreIdempotentAndNeverDriveBalanceOrHeldNegative()
    {
        var ledger = fixture.Client.GetGrain<IPointsLedgerGrain>($"r-{Guid.NewGuid():N}");
        await ledger.CreditAsync(new LedgerCredit("grant:1", 8, "test_grant", "test"));
        await ledger.HoldAsync(new LedgerHold("A", 8, "redeem:haircut", "redemption:A", DateTimeOffset.UtcNow.AddHours(1)));

        var posts = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => ledger.PostAsync("A")));
        Assert.All(posts, p => Assert.Equal(HoldStatus.Posted, p));
        Assert.Equal(HoldStatus.Posted, await ledger.ReleaseAsync("A"));
        Assert.Equal(HoldStatus.Unknown, await ledger.ReleaseAsync("never-held"));

        var page = await ledger.GetPageAsync(1, 20);
        Assert.Equal(0, page.Balance);
        Assert.Equal(0, page.Held);
        Assert.Equal([-8, 8], page.Entries.Select(e => e.Amount).ToArray());
    }

    [Fact]
    public async Task APageFarPastTheEndIsEmptyRatherThanWrappingAroundToTheNewestEntries()
    {
        var ledger = fixture.Client.GetGrain<IPointsLedgerGrain>($"r-{Guid.NewGuid():N}");
        await ledger.CreditAsync(new LedgerCredit("grant:1", 3, "test_grant", "test"));

        var farPage = await ledger.GetPageAsync(107_374_184, 20);

        Assert.Empty(farPage.Entries);
        Assert.Single((await ledger.GetPageAsync(1, 20)).Entries);
    }
}
