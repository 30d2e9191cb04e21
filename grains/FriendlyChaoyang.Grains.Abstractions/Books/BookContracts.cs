namespace FriendlyChaoyang.Books;

/// <summary>A book a manager or operator put on a station's shelf (不卖书书店: swapped, never sold).</summary>
[GenerateSerializer, Immutable, Alias("fc.NewBook")]
public sealed record NewBook(
    [property: Id(0)] string StationId,
    [property: Id(1)] string Title,
    [property: Id(2)] string? Author,
    [property: Id(3)] string? Isbn,
    [property: Id(4)] string RegisteredBy);

/// <param name="StationId">The shelf it stands on, or was lent from.</param>
/// <param name="DueAt">While lent: when it is due back.</param>
[GenerateSerializer, Immutable, Alias("fc.BookView")]
public sealed record BookView(
    [property: Id(0)] string Id,
    [property: Id(1)] string StationId,
    [property: Id(2)] string Title,
    [property: Id(3)] string? Author,
    [property: Id(4)] string? Isbn,
    [property: Id(5)] bool Available,
    [property: Id(6)] DateTimeOffset? DueAt);

/// <param name="StationId">The station whose shelf takes it back.</param>
/// <param name="BorrowerId">The rider returning it; null when station staff take it back.</param>
[GenerateSerializer, Immutable, Alias("fc.BookReturn")]
public sealed record BookReturn([property: Id(0)] string StationId, [property: Id(1)] string? BorrowerId);

[GenerateSerializer, Alias("fc.BookOutcome")]
public enum BookOutcome
{
    /// <summary>Registered, lent, returned, or a replay of one of those: the book is in the result.</summary>
    Answered = 0,
    NotFound = 1,
    /// <summary>The book's Idempotency-Key first registered another book.</summary>
    DifferentRequest = 2,
    AlreadyLent = 3,
    /// <summary>The rider holds as many books as a rider may.</summary>
    LoanLimitReached = 4,
    NotLent = 5,
    NotBorrower = 6,
}

[GenerateSerializer, Immutable, Alias("fc.BookResult")]
public sealed record BookResult([property: Id(0)] BookOutcome Outcome, [property: Id(1)] BookView? Book);

public static class BookLimits
{
    public const int MaxTitleLength = 200;
    public const int MaxAuthorLength = 100;
}
