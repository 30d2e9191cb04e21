using FriendlyChaoyang.Notifications;
using FriendlyChaoyang.Testing;
using FriendlyChaoyang.Wishes;

namespace FriendlyChaoyang.Tests.Wishes;

/// <summary>The steps of a micro-wish, its notifications and its lists, on the 3-silo test cluster against PostgreSQL.</summary>
[Collection(ClusterCollection.Name)]
public sealed class WishGrainTests(ClusterFixture fixture)
{
    private static readonly WishOperator Claimer = new("op-a", "jianwai");

    [Fact]
    public async Task OfTwentyOperatorsClaimingAtOnceExactlyOneWins()
    {
        var (wish, _) = await PostAsync();

        var claims = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => wish.ClaimAsync(new WishOperator($"op-{i}", "jianwai"))));

        var winner = Assert.Single(claims, c => c.Outcome == WishOutcome.Answered);
        Assert.Equal(19, claims.Count(c => c.Outcome == WishOutcome.AlreadyClaimed));
        Assert.Equal(winner.Wish!.ClaimedBy, (await wish.GetAsync())!.ClaimedBy);
    }

    [Fact]
    public async Task PostClaimFulfilAndConfirmEachNotifyTheRiderOnceAndMoveTheLists()
    {
        var (wish, rider) = await PostAsync();
        var subdistrictList = fixture.Client.GetGrain<IWishListGrain>(WishLists.OfSubdistrict("jianwai"));
        Assert.Contains(await subdistrictList.ListAsync(WishStatus.Open, 1, 100), w => w.Id == wish.GetPrimaryKeyString());

        Assert.Equal(WishStatus.Claimed, (await wish.ClaimAsync(Claimer)).Wish!.Status);
        Assert.Equal(WishOutcome.Answered, (await wish.ClaimAsync(Claimer)).Outcome);
        Assert.Equal(WishStatus.Fulfilled, (await wish.FulfilAsync(Claimer)).Wish!.Status);
        Assert.Equal(WishStatus.Closed, (await wish.ConfirmAsync(rider)).Wish!.Status);
        Assert.Equal(WishOutcome.Answered, (await wish.ConfirmAsync(rider)).Outcome);

        var kinds = (await fixture.Client.GetGrain<INotificationsGrain>(rider).ListAsync(0)).Select(n => n.Kind);
        Assert.Equal(["wish_open", "wish_claimed", "wish_fulfilled", "wish_closed"], kinds);
        Assert.DoesNotContain(await subdistrictList.ListAsync(WishStatus.Open, 1, 100), w => w.Id == wish.GetPrimaryKeyString());
        var own = Assert.Single(await fixture.Client.GetGrain<IWishListGrain>(WishLists.OfRider(rider)).ListAsync(null, 1, 10));
        Assert.Equal(WishStatus.Closed, own.Status);
    }

    [Fact]
    public async Task OnlyTheClaimerFulfilsOnlyThePosterConfirmsAndOnlyTheSubdistrictActs()
    {
        var (wish, rider) = await PostAsync();
        Assert.Equal(WishOutcome.WrongSubdistrict, (await wish.ClaimAsync(new WishOperator("op-x", "shuangjing"))).Outcome);
        Assert.Equal(WishOutcome.Illegal, (await wish.FulfilAsync(Claimer)).Outcome);
        Assert.Equal(WishOutcome.Illegal, (await wish.ConfirmAsync(rider)).Outcome);
        await wish.ClaimAsync(Claimer);

        Assert.Equal(WishOutcome.NotYours, (await wish.FulfilAsync(new WishOperator("op-b", "jianwai"))).Outcome);
        await wish.FulfilAsync(Claimer);
        Assert.Equal(WishOutcome.NotYours, (await wish.ConfirmAsync("someone-else")).Outcome);
        Assert.Equal(WishOutcome.Illegal, (await wish.RejectAsync(Claimer, "too late")).Outcome);
        Assert.Equal(WishStatus.Fulfilled, (await wish.GetAsync())!.Status);
    }

    [Fact]
    public async Task ARejectedWishCarriesTheNoteToTheRider()
    {
        var (wish, rider) = await PostAsync();

        var rejected = await wish.RejectAsync(Claimer, "We cannot buy alcohol.");

        Assert.Equal((WishStatus.Rejected, "We cannot buy alcohol."), (rejected.Wish!.Status, rejected.Wish.Note));
        var last = (await fixture.Client.GetGrain<INotificationsGrain>(rider).ListAsync(0))[^1];
        Assert.Equal("wish_rejected", last.Kind);
        Assert.Contains("We cannot buy alcohol.", last.Text, StringComparison.Ordinal);
        Assert.Equal(WishOutcome.Illegal, (await wish.ClaimAsync(Claimer)).Outcome);
    }

    [Fact]
    public async Task AWishForAnUnknownSubdistrictIsNotStored()
    {
        var wish = fixture.Client.GetGrain<IWishGrain>($"wish-{Guid.NewGuid():N}");

        var refused = await wish.PostAsync(new NewWish("r-1", "A winter coat", WishKind.DailyGoods, "atlantis", "fp"));

        Assert.Equal(WishOutcome.UnknownSubdistrict, refused.Outcome);
        Assert.Null(await wish.GetAsync());
    }

    private async Task<(IWishGrain Wish, string Rider)> PostAsync()
    {
        var rider = $"r-{Guid.NewGuid():N}";
        var wish = fixture.Client.GetGrain<IWishGrain>($"wish-{Guid.NewGuid():N}");
        var posted = await wish.PostAsync(new NewWish(rider, "一件冬天的棉衣", WishKind.DailyGoods, "jianwai", "fp"));
        Assert.Equal(WishStatus.Open, posted.Wish!.Status);
        return (wish, rider);
    }
}
