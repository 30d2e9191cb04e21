using FriendlyChaoyang.Books;

namespace FriendlyChaoyang.Stations;

/// <summary>
/// The station's book shelf: the ids its books' grains listed here. A listing is only an index: a book that moved on
/// is left out of the list until its grain has unlisted it, so no book ever shows on two shelves.
/// </summary>
public sealed partial class StationGrain
{
    public async Task ShelveBookAsync(string bookId)
    {
        if (!state.State.BookIds.Contains(bookId))
        {
            _commit.MarkChanged();
            state.State.BookIds.Add(bookId);
        }
        await _commit.WhenDurableAsync();
    }

    public async Task UnshelveBookAsync(string bookId)
    {
        if (state.State.BookIds.Contains(bookId))
        {
            _commit.MarkChanged();
            state.State.BookIds.Remove(bookId);
        }
        await _commit.WhenDurableAsync();
    }

    public async Task<IReadOnlyList<BookView>?> ListBooksAsync(bool availableOnly, int page, int pageSize)
    {
        await _commit.WhenDurableAsync();
        if (state.State.Definition is null)
        {
            return null;
        }
        var books = await Task.WhenAll(state.State.BookIds.Select(id => GrainFactory.GetGrain<IBookGrain>(id).GetAsync()));
        return [.. books
            .OfType<BookView>()
            .Where(b => b.StationId == StationId && (b.Available || !availableOnly))
            .Skip((page - 1) * pageSize)
            .Take(pageSize)];
    }
}
