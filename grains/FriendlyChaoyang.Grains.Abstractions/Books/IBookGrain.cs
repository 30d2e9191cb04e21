using Orleans.Concurrency;

namespace FriendlyChaoyang.Books;

/// <summary>One book, keyed by its id; the single writer of where it stands and who has it.</summary>
[Alias("fc.IBookGrain")]
public interface IBookGrain : IGrainWithStringKey
{
    /// <summary>Registers the book on its station's shelf. A repeat answers the first book, or DifferentRequest if it asked for another.</summary>
    [Alias("Register")]
    Task<BookResult> RegisterAsync(NewBook book, string requestFingerprint);

    /// <returns>Null for a book that was never registered.</returns>
    [Alias("Get")]
    Task<BookView?> GetAsync();

    /// <summary>
    /// Who has the book now (null: on a shelf). Interleaves, so a rider's loans can check it while this book is busy
    /// telling that same rider about a return.
    /// </summary>
    [AlwaysInterleave, Alias("GetBorrower")]
    Task<string?> GetBorrowerAsync();

    /// <summary>Lends it to the rider (a repeat by the same rider answers the same loan). Called by <see cref="IRiderLoansGrain"/>, which enforces the loan limit.</summary>
    [Alias("Lend")]
    Task<BookResult> LendAsync(string riderId);

    /// <summary>Takes it back onto the returning station's shelf, which may be another station than it came from.</summary>
    [Alias("Return")]
    Task<BookResult> ReturnAsync(BookReturn bookReturn);
}

/// <summary>
/// The books one rider has (keyed by rider id). Borrows run here one at a time, so concurrent borrows by one rider
/// can never pass the loan limit together.
/// </summary>
[Alias("fc.IRiderLoansGrain")]
public interface IRiderLoansGrain : IGrainWithStringKey
{
    [Alias("Borrow")]
    Task<BookResult> BorrowAsync(string bookId);

    /// <summary>Called by a returned book. Interleaves with a borrow in flight, which may be waiting on that very book.</summary>
    [AlwaysInterleave, Alias("Release")]
    Task ReleaseAsync(string bookId);
}
