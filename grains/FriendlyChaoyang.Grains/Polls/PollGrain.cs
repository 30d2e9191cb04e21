using FriendlyChaoyang.Persistence;
using FriendlyChaoyang.Stations;
using Orleans.Concurrency;

namespace FriendlyChaoyang.Polls;

/// <summary>
/// One poll. Reentrant so that a crowd of voters shares PostgreSQL writes (<see cref="GroupCommit"/>): each vote is
/// checked and counted in one synchronous step, so a rider's second vote is always seen, and answered only once the
/// write that holds it has committed. Reads first wait for every vote taken so far to be stored.
/// </summary>
[Reentrant]
public sealed class PollGrain(
    [PersistentState("poll", StorageNames.Default)] IPersistentState<PollState> state,
    TimeProvider clock) : Grain, IPollGrain
{
    private GroupCommit _commit = null!;
    private int[] _counts = [];
    private PollState S => state.State;
    private string PollId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _commit = new GroupCommit(() => state.WriteOrDeactivateAsync(this));
        if (S.Poll is { } poll)
        {
            _counts = new int[poll.Options.Count];
            foreach (var option in S.Votes.Values)
            {
                _counts[option]++;
            }
        }
        return Task.CompletedTask;
    }

    public async Task<PollResult> OpenAsync(NewPoll poll, string requestFingerprint)
    {
        ArgumentNullException.ThrowIfNull(poll);
        if (S.Poll is not null)
        {
            await _commit.WhenDurableAsync();
            if (S.RequestFingerprint != requestFingerprint)
            {
                return new PollResult(PollOutcome.DifferentRequest, null);
            }
        }
        else
        {
            _commit.MarkChanged();
            S.Poll = poll;
            S.RequestFingerprint = requestFingerprint;
            _counts = new int[poll.Options.Count];
            await _commit.WhenDurableAsync();
        }
        // Also on a replay: a first attempt that stored the poll but failed to list it is completed by its retry.
        await GrainFactory.GetGrain<IStationGrain>(S.Poll!.StationId).AddPollAsync(PollId);
        return Answered();
    }

    public async Task<PollView?> GetAsync()
    {
        await _commit.WhenDurableAsync();
        return S.Poll is null ? null : View();
    }

    public async Task<PollResult> VoteAsync(string riderId, int optionIndex)
    {
        if (S.Poll is not { } poll)
        {
            return new PollResult(PollOutcome.NotFound, null);
        }
        if (optionIndex < 0 || optionIndex >= poll.Options.Count)
        {
            return new PollResult(PollOutcome.NoSuchOption, View());
        }
        if (clock.GetUtcNow() >= poll.ClosesAt)
        {
            return new PollResult(PollOutcome.Closed, View());
        }
        if (S.Votes.ContainsKey(riderId))
        {
            // The first vote may still be in flight: answer once it is stored, or fail as it did.
            await _commit.WhenDurableAsync();
            return new PollResult(PollOutcome.AlreadyVoted, View());
        }
        _commit.MarkChanged();
        S.Votes[riderId] = optionIndex;
        _counts[optionIndex]++;
        await _commit.WhenDurableAsync();
        return Answered();
    }

    private PollResult Answered() => new(PollOutcome.Answered, View());

    private PollView View()
    {
        var poll = S.Poll!;
        return new PollView(PollId, poll.StationId, poll.Question, [.. poll.Options.Select((text, i) => new PollOption(text, _counts[i]))],
            poll.ClosesAt, clock.GetUtcNow() >= poll.ClosesAt);
    }
}
