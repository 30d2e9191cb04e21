namespace FriendlyChaoyang.Activities;

public sealed class ActivityOptions
{
    public const string Section = "Activities";

    /// <summary>How long a freed seat is held for the first waiting rider (never past the activity's start).</summary>
    public TimeSpan OfferTtl { get; set; } = TimeSpan.FromHours(2);

    /// <summary>
    /// How often an activity with a seat on offer or undelivered points or notifications checks them: an expired offer
    /// passes on at most this late. A reminder, so it survives silo restarts; Orleans' minimum reminder period bounds it.
    /// </summary>
    public TimeSpan TickPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long one delivery (points to a ledger, a notification) may take before the next tick retries it.</summary>
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
