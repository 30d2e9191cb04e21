namespace FriendlyChaoyang.Wishes;

public sealed class WishOptions
{
    public const string Section = "Wishes";

    /// <summary>How often a wish with undelivered notifications or list entries retries them (a reminder: survives restarts).</summary>
    public TimeSpan TickPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long one delivery may take before the next tick retries it.</summary>
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
