using FriendlyChaoyang.Polls;

namespace FriendlyChaoyang.Stations;

/// <summary>The polls a station knows: their ids, in the order they were opened. Each poll's grain holds the poll.</summary>
public sealed partial class StationGrain
{
    public async Task<bool> AddPollAsync(string pollId)
    {
        if (state.State.Definition is null)
        {
            return false;
        }
        if (!state.State.PollIds.Contains(pollId))
        {
            _commit.MarkChanged();
            state.State.PollIds.Add(pollId);
        }
        await _commit.WhenDurableAsync();
        return true;
    }

    public async Task<IReadOnlyList<PollView>?> ListPollsAsync(int page, int pageSize)
    {
        await _commit.WhenDurableAsync();
        if (state.State.Definition is null)
        {
            return null;
        }
        var ids = Enumerable.Reverse(state.State.PollIds).Skip((page - 1) * pageSize).Take(pageSize).ToList();
        var polls = await Task.WhenAll(ids.Select(id => GrainFactory.GetGrain<IPollGrain>(id).GetAsync()));
        return [.. polls.OfType<PollView>()];
    }
}
