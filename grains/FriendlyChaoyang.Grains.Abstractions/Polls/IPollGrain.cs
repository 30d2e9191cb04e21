namespace FriendlyChaoyang.Polls;

/// <summary>One poll, keyed by its id; the single writer of its votes. Its station lists it (<see cref="Stations.IStationGrain.ListPollsAsync"/>).</summary>
[Alias("fc.IPollGrain")]
public interface IPollGrain : IGrainWithStringKey
{
    /// <summary>Opens the poll and lists it at its station. A repeat answers the first poll, or DifferentRequest if it asked for another.</summary>
    [Alias("Open")]
    Task<PollResult> OpenAsync(NewPoll poll, string requestFingerprint);

    /// <returns>Null for a poll that was never opened.</returns>
    [Alias("Get")]
    Task<PollView?> GetAsync();

    /// <summary>One vote per rider, before the closing time; answers once the vote is stored.</summary>
    [Alias("Vote")]
    Task<PollResult> VoteAsync(string riderId, int optionIndex);
}
