using FriendlyChaoyang.Persistence;

namespace FriendlyChaoyang.Wishes;

/// <summary>
/// A subdistrict's or a rider's wishes, fed by each wish's outbox. Every legal step raises a wish's status number, so a
/// late delivery of an older view (a timed-out one that still arrived) is recognised and ignored.
/// </summary>
public sealed class WishListGrain(
    [PersistentState("wish-list", StorageNames.Default)] IPersistentState<WishListState> state) : Grain, IWishListGrain
{
    public async Task UpdateAsync(WishView wish)
    {
        ArgumentNullException.ThrowIfNull(wish);
        if (state.State.Wishes.TryGetValue(wish.Id, out var known) && (known == wish || known.Status > wish.Status))
        {
            return;
        }
        state.State.Wishes[wish.Id] = wish;
        await state.WriteOrDeactivateAsync(this);
    }

    public Task<IReadOnlyList<WishView>> ListAsync(WishStatus? status, int page, int pageSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(page);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        IReadOnlyList<WishView> list = [.. state.State.Wishes.Values
            .Where(w => status is null || w.Status == status)
            .OrderBy(w => w.PostedAt)
            .ThenBy(w => w.Id, StringComparer.Ordinal)
            .Skip((page - 1) * pageSize)
            .Take(pageSize)];
        return Task.FromResult(list);
    }
}
