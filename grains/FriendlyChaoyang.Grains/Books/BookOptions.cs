namespace FriendlyChaoyang.Books;

public sealed class BookOptions
{
    public const string Section = "Books";

    /// <summary>How long a rider may keep a book; past it, the rider is told once that it is overdue.</summary>
    public TimeSpan LoanPeriod { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Books one rider may have at a time.</summary>
    public int MaxLoansPerRider { get; set; } = 2;

    /// <summary>
    /// How often a book's reminder retries what is undelivered (its shelf listing, the overdue notification, the
    /// rider's loan record) once the loan is due. Orleans' minimum reminder period (1 minute by default) bounds it.
    /// </summary>
    public TimeSpan TickPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long one delivery attempt may take before the reminder retries it.</summary>
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
