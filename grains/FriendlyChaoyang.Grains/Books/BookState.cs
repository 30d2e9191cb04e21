using FriendlyChaoyang.Persistence;

namespace FriendlyChaoyang.Books;

[GenerateSerializer, Alias("fc.BookState")]
public sealed class BookState : IOutboxState
{
    /// <summary>Null until the book is registered.</summary>
    [Id(0)] public NewBook? Book { get; set; }

    /// <summary>The digest of the request that registered it, so a replay of its Idempotency-Key with another book is refused.</summary>
    [Id(1)] public string? RequestFingerprint { get; set; }

    /// <summary>The shelf it stands on (or was lent from).</summary>
    [Id(2)] public string StationId { get; set; } = "";

    /// <summary>The station whose list holds it, as that station acknowledged; differs from StationId until a move is delivered.</summary>
    [Id(3)] public string? ListedAt { get; set; }

    [Id(4)] public BookLoan? Loan { get; set; }

    /// <summary>The rider whose loan record has not yet acknowledged the book's return.</summary>
    [Id(5)] public string? ReleasePending { get; set; }

    [Id(6)] public List<PendingAward> PendingAwards { get; set; } = [];
    [Id(7)] public List<PendingNotification> PendingNotifications { get; set; } = [];
}

/// <param name="OverdueNotified">The overdue notification was recorded for delivery (once per loan).</param>
[GenerateSerializer, Immutable, Alias("fc.BookLoan")]
public sealed record BookLoan(
    [property: Id(0)] string RiderId,
    [property: Id(1)] DateTimeOffset LentAt,
    [property: Id(2)] DateTimeOffset DueAt,
    [property: Id(3)] bool OverdueNotified);
