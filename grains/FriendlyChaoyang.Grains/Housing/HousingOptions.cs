namespace FriendlyChaoyang.Housing;

public sealed class HousingOptions
{
    public const string Section = "Housing";

    /// <summary>The programme's rent band in CNY a month: listings outside it are refused.</summary>
    public int RentMin { get; set; } = 600;

    public int RentMax { get; set; } = 1200;

    /// <summary>How long a free bed is held for the first rider in line before it passes to the next.</summary>
    public TimeSpan OfferTtl { get; set; } = TimeSpan.FromHours(48);

    /// <summary>
    /// How often an apartment with a bed on offer or undelivered notifications checks them: an expired offer passes on at
    /// most this late (any call to the apartment passes it on at once). A reminder, so it survives silo restarts;
    /// Orleans' minimum reminder period (1 minute by default) bounds it.
    /// </summary>
    public TimeSpan TickPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long one notification delivery may take before the next tick retries it.</summary>
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public RentBand RentBand => new(RentMin, RentMax);
}
