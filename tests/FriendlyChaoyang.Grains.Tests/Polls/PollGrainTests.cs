using FriendlyChaoyang.Polls;
using FriendlyChaoyang.Stations;
using FriendlyChaoyang.Testing;

namespace FriendlyChaoyang.Tests.Polls;

[Collection(ClusterCollection.Name)]
public sealed class PollGrainTests(ClusterFixture fixture)
{
    private const string Station = "cy-jianwai-002";

    [Fact]
    public async Task AThousandConcurrentVotesByDistinctRidersCountExactlyAndAreStored()
    {
        var poll = await OpenPollAsync(TimeSpan.FromHours(1), "Tea", "Coffee", "Soy milk");
        var prefix = Guid.NewGuid().ToString("N");

        var results = await Task.WhenAll(Enumerable.Range(0, 1000).Select(i => poll.VoteAsync($"{prefix}-{i}", i % 3)));

        Assert.All(results, r => Assert.Equal(PollOutcome.Answered, r.Outcome));
        var expected = new[] { 334, 333, 333 };
        Assert.Equal(expected, (await poll.GetAsync())!.Options.Select(o => o.Votes));
        await fixture.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.Equal(expected, (await poll.GetAsync())!.Options.Select(o => o.Votes));
        Assert.Equal(PollOutcome.AlreadyVoted, (await poll.VoteAsync($"{prefix}-7", 0)).Outcome);
    }

    [Fact]
    public async Task ConcurrentVotesByOneRiderCountOnce()
    {
        var poll = await OpenPollAsync(TimeSpan.FromHours(1), "Yes", "No");
        var rider = $"r-{Guid.NewGuid():N}";

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => poll.VoteAsync(rider, i % 2)));

        Assert.Single(results, r => r.Outcome == PollOutcome.Answered);
        Assert.Equal(19, results.Count(r => r.Outcome == PollOutcome.AlreadyVoted));
        Assert.Equal(1, (await poll.GetAsync())!.Options.Sum(o => o.Votes));
    }

    [Fact]
    public async Task AVoteAfterTheClosingTimeIsRefusedAndNotCounted()
    {
        var poll = await OpenPollAsync(TimeSpan.FromSeconds(1), "Yes", "No");
        Assert.False((await poll.GetAsync())!.Closed);

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var result = await poll.VoteAsync($"r-{Guid.NewGuid():N}", 0);

        Assert.Equal(PollOutcome.Closed, result.Outcome);
        var view = (await poll.GetAsync())!;
        Assert.True(view.Closed);
        Assert.All(view.Options, o => Assert.Equal(0, o.Votes));
    }

    [Fact]
    public async Task AnOpenedPollIsListedByItsStationNewestFirst()
    {
        var first = await OpenPollAsync(TimeSpan.FromHours(1), "A", "B");
        var second = await OpenPollAsync(TimeSpan.FromHours(1), "C", "D");

        var listed = await fixture.Client.GetGrain<IStationGrain>(Station).ListPollsAsync(1, 100);

        var ids = listed!.Select(p => p.Id).ToList();
        Assert.True(ids.IndexOf(second.GetPrimaryKeyString()) < ids.IndexOf(first.GetPrimaryKeyString()));
        Assert.Contains(first.GetPrimaryKeyString(), ids);
    }

    private async Task<IPollGrain> OpenPollAsync(TimeSpan closesIn, params string[] options)
    {
        var poll = fixture.Client.GetGrain<IPollGrain>($"poll-{Guid.NewGuid():N}");
        var result = await poll.OpenAsync(new NewPoll(Station, "Which drink should the station keep hot?", options, DateTimeOffset.UtcNow + closesIn, "mgr"), "fp");
        Assert.Equal(PollOutcome.Answered, result.Outcome);
        return poll;
    }
}
