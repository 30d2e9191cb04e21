using FriendlyChaoyang.Commendations;
using FriendlyChaoyang.Growth;
using FriendlyChaoyang.Points;
using FriendlyChaoyang.Riders;
using FriendlyChaoyang.Testing;
using Orleans.Runtime;

namespace FriendlyChaoyang.Tests.Commendations;

/// <summary>
/// Points credited once and reversed once, the growth record and the public feed of commendations, on the 3-silo test
/// cluster against PostgreSQL (default points: banner 20, good deed 5).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class CommendationGrainTests(ClusterFixture fixture)
{
    private static readonly CommendationOperator Jianwai = new("op-jianwai", "jianwai");

    [Fact]
    public async Task RepeatedCreatesPayOnceAndRepeatedRevocationsReverseOnce()
    {
        var rider = NewRider();
        var commendation = fixture.Client.GetGrain<ICommendationGrain>(NewId());
        var request = Request(rider, CommendationKind.Banner);

        var created = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => commendation.CreateAsync(request)));
        Assert.All(created, c => Assert.Equal(created[0].Commendation, c.Commendation));
        var ledger = fixture.Client.GetGrain<IPointsLedgerGrain>(rider);
        Assert.Equal(20, (await ledger.GetSummaryAsync()).Balance);

        var revoked = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => commendation.RevokeAsync(Jianwai)));
        Assert.All(revoked, r => Assert.NotNull(r.Commendation!.RevokedAt));
        await Task.Delay(TimeSpan.FromSeconds(2)); // retries would land with the next reminder ticks

        var entries = (await ledger.GetPageAsync(1, 50)).Entries;
        Assert.Equal([-20, 20], entries.Select(e => e.Amount));
        Assert.Equal([$"commendation:{created[0].Commendation!.Id}:revoked", $"commendation:{created[0].Commendation!.Id}"], entries.Select(e => e.Id));
        Assert.Equal(0, (await ledger.GetSummaryAsync()).Balance);
    }

    [Fact]
    public async Task AnotherSubdistrictsOperatorCannotRevokeAndChangesNothing()
    {
        var rider = NewRider();
        var commendation = fixture.Client.GetGrain<ICommendationGrain>(NewId());
        await commendation.CreateAsync(Request(rider, CommendationKind.GoodDeed));

        var refused = await commendation.RevokeAsync(new CommendationOperator("op-shuangjing", "shuangjing"));

        Assert.Equal(CommendationOutcome.WrongSubdistrict, refused.Outcome);
        Assert.Null((await commendation.GetAsync())!.RevokedAt);
        Assert.Equal(5, (await fixture.Client.GetGrain<IPointsLedgerGrain>(rider).GetSummaryAsync()).Balance);
    }

    [Fact]
    public async Task GrowthCountsStandingCommendationsAndGoodDeedsApart()
    {
        var rider = NewRider();
        var banner = fixture.Client.GetGrain<ICommendationGrain>(NewId());
        await banner.CreateAsync(Request(rider, CommendationKind.Banner));
        await fixture.Client.GetGrain<ICommendationGrain>(NewId()).CreateAsync(Request(rider, CommendationKind.LetterHome));
        await fixture.Client.GetGrain<ICommendationGrain>(NewId()).CreateAsync(Request(rider, CommendationKind.GoodDeed));
        var growth = fixture.Client.GetGrain<IGrowthGrain>(rider);
        Assert.Equal((2, 1), Counts(await growth.GetAsync()));

        await banner.RevokeAsync(Jianwai);

        Assert.Equal((1, 1), Counts(await growth.GetAsync()));
        var own = await growth.ListCommendationsAsync(1, 10);
        Assert.Equal(3, own.Count);
        Assert.Single(own, c => c.RevokedAt is not null);
    }

    [Fact]
    public async Task TheFeedShowsTheMaskedNameAndDropsARevokedCommendation()
    {
        var rider = NewRider();
        await fixture.Client.GetGrain<IRiderGrain>(rider).UpdateProfileAsync(new RiderProfileUpdate("张伟", "meituan", "delivery"));
        var id = NewId();
        var commendation = fixture.Client.GetGrain<ICommendationGrain>(id);
        await commendation.CreateAsync(Request(rider, CommendationKind.ThankYouLetter));
        var feed = fixture.Client.GetGrain<ICommendationFeedGrain>("jianwai");

        var entry = Assert.Single((await feed.ListAsync(1, 100))!, c => c.Id == id);
        Assert.Equal("张**", entry.RiderName);

        await commendation.RevokeAsync(Jianwai);
        Assert.DoesNotContain((await feed.ListAsync(1, 100))!, c => c.Id == id);
        // A late delivery of the original entry does not bring it back.
        await feed.UpdateAsync(entry, revoked: false);
        Assert.DoesNotContain((await feed.ListAsync(1, 100))!, c => c.Id == id);
        Assert.Null(await fixture.Client.GetGrain<ICommendationFeedGrain>("atlantis").ListAsync(1, 10));
    }

    [Fact]
    public async Task AReversalArrivingBeforeItsCreditCancelsItAndSpentPointsStaySpent()
    {
        var ledger = fixture.Client.GetGrain<IPointsLedgerGrain>(NewRider());
        await ledger.ReverseAsync(new LedgerReversal("c1:revoked", "c1", "commendation_revoked", "c1"));
        await ledger.CreditAsync(new LedgerCredit("c1", 20, "commendation", "c1"));
        Assert.Equal(0, (await ledger.GetSummaryAsync()).Balance);
        Assert.Empty((await ledger.GetPageAsync(1, 10)).Entries);

        // 20 credited, 15 held by a redemption: only the 5 still spendable can be taken back.
        await ledger.CreditAsync(new LedgerCredit("c2", 20, "commendation", "c2"));
        await ledger.HoldAsync(new LedgerHold("h", 15, "redemption", "v", DateTimeOffset.UtcNow.AddHours(1)));
        await ledger.ReverseAsync(new LedgerReversal("c2:revoked", "c2", "commendation_revoked", "c2"));
        Assert.Equal(new PointsSummary(15, 15), await ledger.GetSummaryAsync());
    }

    [Theory]
    [InlineData("ledger")]
    [InlineData("commendation")]
    public async Task KillingTheSiloOfTheLedgerOrTheCommendationMidwayStillPaysAndReversesExactlyOnce(string victim)
    {
        var rider = NewRider();
        var commendation = fixture.Client.GetGrain<ICommendationGrain>(NewId());
        var ledger = fixture.Client.GetGrain<IPointsLedgerGrain>(rider);
        await ledger.GetSummaryAsync();
        await commendation.GetAsync();
        var host = await fixture.HostOfAsync(victim == "ledger" ? ledger : commendation);
        var silo = fixture.Cluster.Silos.Single(s => s.SiloAddress.Equals(host));
        var request = Request(rider, CommendationKind.Banner);
        try
        {
            var racing = Enumerable.Range(0, 3).Select(_ => TryAsync(() => commendation.CreateAsync(request))).ToList();
            await fixture.Cluster.KillSiloAsync(silo);
            await Task.WhenAll(racing);
            await UntilAnsweredAsync(() => commendation.CreateAsync(request));
            var paid = await Eventually.ReadAsync(ledger.GetSummaryAsync, s => s.Balance >= 20, seconds: 60);
            Assert.Equal(20, paid.Balance);

            await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => UntilAnsweredAsync(() => commendation.RevokeAsync(Jianwai))));
            var reversed = await Eventually.ReadAsync(ledger.GetSummaryAsync, s => s.Balance == 0, seconds: 60);
            await Task.Delay(TimeSpan.FromSeconds(3));

            Assert.Equal(0, reversed.Balance);
            Assert.Equal([-20, 20], (await ledger.GetPageAsync(1, 50)).Entries.Select(e => e.Amount));
        }
        finally
        {
            await fixture.Cluster.StartAdditionalSiloAsync();
        }
    }

    [Theory]
    [InlineData("张伟", "张**")]
    [InlineData("  Li Wei ", "L**")]
    [InlineData("𠮷田", "𠮷**")]
    [InlineData(null, NameMask.Anonymous)]
    [InlineData("  ", NameMask.Anonymous)]
    public void TheFeedNamesARiderByTheFirstCharacterOfTheirName(string? displayName, string masked) =>
        Assert.Equal(masked, NameMask.Mask(displayName));

    private static NewCommendation Request(string rider, CommendationKind kind) =>
        new(rider, kind, "Returned a lost wallet to its owner", null, Jianwai.OperatorId, Jianwai.SubdistrictId, $"fp-{kind}");

    private static (int Commendations, int GoodDeeds) Counts(GrowthRecord record) => (record.Commendations, record.GoodDeeds);

    private static string NewRider() => $"r-{Guid.NewGuid():N}";

    private static string NewId() => $"cmd-{Guid.NewGuid():N}";

    private static async Task TryAsync(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansException or StorageUnavailableException)
        {
            // The caller never saw an answer; the retry below is its repeat.
        }
    }

    private static async Task UntilAnsweredAsync(Func<Task<CommendationResult>> call)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                Assert.Equal(CommendationOutcome.Answered, (await call()).Outcome);
                return;
            }
            catch (Exception ex) when (attempt < 20 && ex is TimeoutException or OrleansException or StorageUnavailableException)
            {
                await Task.Delay(500);
            }
        }
    }
}
