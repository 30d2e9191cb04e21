using FriendlyChaoyang.Catalog;
using FriendlyChaoyang.Persistence;

namespace FriendlyChaoyang.Commendations;

/// <summary>A subdistrict's good-news feed (喜报), fed by each commendation's outbox. It only ever holds masked names.</summary>
public sealed class CommendationFeedGrain(
    [PersistentState("commendation-feed", StorageNames.Default)] IPersistentState<CommendationFeedState> state,
    CatalogData catalog) : Grain, ICommendationFeedGrain
{
    private CommendationFeedState S => state.State;

    public async Task UpdateAsync(PublicCommendation commendation, bool revoked)
    {
        ArgumentNullException.ThrowIfNull(commendation);
        var changed = revoked
            ? S.Revoked.Add(commendation.Id) | S.Items.Remove(commendation.Id)
            : !S.Revoked.Contains(commendation.Id) && S.Items.TryAdd(commendation.Id, commendation);
        if (changed)
        {
            await state.WriteOrDeactivateAsync(this);
        }
    }

    public Task<IReadOnlyList<PublicCommendation>?> ListAsync(int page, int pageSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(page);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        if (!catalog.Subdistricts.Any(s => s.Id == this.GetPrimaryKeyString()))
        {
            return Task.FromResult<IReadOnlyList<PublicCommendation>?>(null);
        }
        IReadOnlyList<PublicCommendation> list = [.. S.Items.Values
            .OrderByDescending(c => c.At)
            .ThenBy(c => c.Id, StringComparer.Ordinal)
            .Skip((page - 1) * pageSize)
            .Take(pageSize)];
        return Task.FromResult<IReadOnlyList<PublicCommendation>?>(list);
    }
}
