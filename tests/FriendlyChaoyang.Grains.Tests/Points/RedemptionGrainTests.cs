using FriendlyChaoyang.Persistence;
using FriendlyChaoyang.Points;
using FriendlyChaoyang.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;

namespace FriendlyChaoyang.Tests.Points;

[Collection(ClusterCollection.Name)]
public sealed class RedemptionGrainTests(ClusterFixture fixture)
{
    /// <summary>
    /// RedemptionState rows as the silo stored them before vouchers had a subdistrict, a fingerprint and an audit
    /// (Orleans' binary format, serialized by the code of commit d2ede29): a held voucher OLDVOUCHER01 of rider
    /// r-stored-before-audit for "laundry" (10 points), and a redeemed OLDVOUCHER02 for "haircut" (8), both expiring in 2099.
    /// </summary>
    private const string StoredHeld =
        "ICDoQBlPTERWT1VDSEVSMDFBK3Itc3RvcmVkLWJlZm9yZS1hdWRpdEEPbGF1bmRyeQEpAQEhgABAFCGpIDAJgQAAAAAAAAAA4ODg";

    private const string StoredRedeemed =
        "ICDoQBlPTERWT1VDSEVSMDJBK3Itc3RvcmVkLWJlZm9yZS1hdWRpdEEPaGFpcmN1dAEhAQUhgABAFCGpIDAJgQAAAAAAAAAA4ODg";

    [Fact]
    public async Task AVoucherStoredBeforeSubdistrictsFingerprintsAndAuditsLoadsMatchesAnyReplayAndIsConfirmedOnce()
    {
        var serializer = fixture.Client.ServiceProvider.GetRequiredService<Serializer>();
        var held = serializer.Deserialize<RedemptionState>(Convert.FromBase64String(StoredHeld))!;
        var redeemed = serializer.Deserialize<RedemptionState>(Convert.FromBase64String(StoredRedeemed))!;
        Assert.Equal(RedemptionStatus.Redeemed, redeemed.Redemption!.Status);
        Assert.Equal(RedemptionStatus.Held, held.Redemption!.Status);
        Assert.Null(held.Redemption.SubdistrictId);
        Assert.Null(held.Fingerprint);
        Assert.Empty(held.Confirmations);

        var riderId = held.Redemption.RiderId;
        var ledger = fixture.Client.GetGrain<IPointsLedgerGrain>(riderId);
        await ledger.CreditAsync(new LedgerCredit("test:stored-voucher", 10, "test_grant", "test"));
        await ledger.HoldAsync(new LedgerHold("OLDVOUCHER01", 10, "redeem:laundry", "redemption:OLDVOUCHER01", held.Redemption.ExpiresAt));
        var voucher = fixture.Client.GetGrain<IRedemptionGrain>("OLDVOUCHER01");
        // Any live silo's storage (an earlier test may have killed the primary): the row is what every silo reads.
        var silo = fixture.Cluster.GetActiveSilos().OfType<InProcessSiloHandle>().First();
        var storage = silo.ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.Default);
        await storage.WriteStateAsync("redemption", voucher.GetGrainId(), new GrainState<RedemptionState>(held));

        var replay = await voucher.CreateAsync(new NewRedemption(riderId, "laundry", "jianwai", "any fingerprint"));
        Assert.Equal(RedemptionOutcome.Answered, replay.Outcome);
        Assert.Null(replay.Redemption!.SubdistrictId);
        var confirmed = await voucher.ConfirmAsync(new VoucherOperator("op-7", "jianwai"));
        var refused = await voucher.ConfirmAsync(new VoucherOperator("op-8", "chaowai"));

        Assert.Equal(RedemptionStatus.Redeemed, confirmed.Redemption!.Status);
        Assert.Equal("jianwai", confirmed.Redemption.SubdistrictId);
        var audit = Assert.Single(confirmed.Confirmations);
        Assert.Equal(("op-7", "jianwai", RedemptionStatus.Redeemed), (audit.By, audit.SubdistrictId, audit.Status));
        Assert.Equal(RedemptionOutcome.WrongSubdistrict, refused.Outcome);
        Assert.Equal(new PointsSummary(0, 0), await ledger.GetSummaryAsync());
    }

    [Fact]
    public async Task OperatorsOfTwoSubdistrictsConfirmingAnUnboundVoucherAtOnceBindItToOneAndSpendThePointsOnce()
    {
        var (riderId, ledger, voucher) = await FreshRiderAndVoucherAsync(points: 10);
        Assert.Equal(RedemptionOutcome.Answered, (await voucher.CreateAsync(new NewRedemption(riderId, "laundry", null, "f"))).Outcome);
        var operators = Enumerable.Range(0, 20).Select(i => new VoucherOperator($"op-{i}", i % 2 == 0 ? "jianwai" : "chaowai")).ToList();

        var results = await Task.WhenAll(operators.Select(voucher.ConfirmAsync));

        var winner = results.First(r => r.Outcome == RedemptionOutcome.Answered).Redemption!.SubdistrictId;
        Assert.All(operators.Zip(results), p => Assert.Equal(
            p.First.SubdistrictId == winner ? RedemptionOutcome.Answered : RedemptionOutcome.WrongSubdistrict, p.Second.Outcome));
        var audit = Assert.Single((await voucher.GetForRiderAsync(riderId)).Confirmations);
        Assert.Equal(winner, audit.SubdistrictId);
        Assert.Equal(new PointsSummary(0, 0), await ledger.GetSummaryAsync());
    }

    [Fact]
    public async Task AReplayWithAnotherFingerprintIsRefusedAndAnotherRidersCallsLearnNothing()
    {
        var (riderId, ledger, voucher) = await FreshRiderAndVoucherAsync(points: 30);
        var first = await voucher.CreateAsync(new NewRedemption(riderId, "laundry", "jianwai", "fingerprint-1"));

        var other = await voucher.CreateAsync(new NewRedemption(riderId, "haircut", "jianwai", "fingerprint-2"));
        var stranger = await voucher.GetForRiderAsync($"r-{Guid.NewGuid():N}");
        var again = await voucher.CreateAsync(new NewRedemption(riderId, "laundry", "jianwai", "fingerprint-1"));

        Assert.Equal(RedemptionOutcome.DifferentRequest, other.Outcome);
        Assert.Null(other.Redemption);
        Assert.Equal(RedemptionOutcome.NotYours, stranger.Outcome);
        Assert.Equal(first.Redemption, again.Redemption);
        Assert.Equal(new PointsSummary(30, 10), await ledger.GetSummaryAsync());
    }

    /// <summary>A new rider credited with <paramref name="points"/>, and an unused voucher code.</summary>
    private async Task<(string RiderId, IPointsLedgerGrain Ledger, IRedemptionGrain Voucher)> FreshRiderAndVoucherAsync(int points)
    {
        var riderId = $"r-{Guid.NewGuid():N}";
        var ledger = fixture.Client.GetGrain<IPointsLedgerGrain>(riderId);
        await ledger.CreditAsync(new LedgerCredit("grant:1", points, "test_grant", "test"));
        return (riderId, ledger, fixture.Client.GetGrain<IRedemptionGrain>($"V{Guid.NewGuid():N}"[..12].ToUpperInvariant()));
    }
}
