using FriendlyChaoyang.Persistence;
using Microsoft.Extensions.Options;

namespace FriendlyChaoyang.Books;

/// <summary>
/// The books one rider has. Borrows are not reentrant (only a returned book's release interleaves), so two concurrent
/// borrows by the same rider are counted one after the other against <see cref="BookOptions.MaxLoansPerRider"/>.
/// Writes go through a <see cref="GroupCommit"/> because a release may write while a borrow waits on its book.
/// </summary>
public sealed class RiderLoansGrain(
    [PersistentState("riderLoans", StorageNames.Default)] IPersistentState<RiderLoansState> state,
    IOptions<BookOptions> options) : Grain, IRiderLoansGrain
{
    private readonly int _maxLoans = options.Value.MaxLoansPerRider;
    private GroupCommit _commit = null!;
    private HashSet<string> Books => state.State.BookIds;
    private string RiderId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _commit = new GroupCommit(() => state.WriteOrDeactivateAsync(this));
        return Task.CompletedTask;
    }

    public async Task<BookResult> BorrowAsync(string bookId)
    {
        if (!Books.Contains(bookId) && Books.Count >= _maxLoans)
        {
            await ForgetReturnedBooksAsync();
            if (Books.Count >= _maxLoans)
            {
                return new BookResult(BookOutcome.LoanLimitReached, null);
            }
        }
        // Counted before the book is asked: if the lend succeeds and this grain then crashes, the loan still counts.
        if (Books.Add(bookId))
        {
            _commit.MarkChanged();
            await _commit.WhenDurableAsync();
        }
        var result = await GrainFactory.GetGrain<IBookGrain>(bookId).LendAsync(RiderId);
        if (result.Outcome != BookOutcome.Answered && Books.Remove(bookId))
        {
            _commit.MarkChanged();
            await _commit.WhenDurableAsync();
        }
        return result;
    }

    public async Task ReleaseAsync(string bookId)
    {
        if (Books.Remove(bookId))
        {
            _commit.MarkChanged();
        }
        await _commit.WhenDurableAsync();
    }

    /// <summary>
    /// Drops books this rider no longer has: a borrow that crashed before its book answered, or a return whose release
    /// has not arrived yet. Asked only at the limit, so the usual borrow costs no extra calls.
    /// </summary>
    private async Task ForgetReturnedBooksAsync()
    {
        var ids = Books.ToList();
        var borrowers = await Task.WhenAll(ids.Select(id => GrainFactory.GetGrain<IBookGrain>(id).GetBorrowerAsync()));
        for (var i = 0; i < ids.Count; i++)
        {
            if (borrowers[i] != RiderId && Books.Remove(ids[i]))
            {
                _commit.MarkChanged();
            }
        }
        await _commit.WhenDurableAsync();
    }
}
