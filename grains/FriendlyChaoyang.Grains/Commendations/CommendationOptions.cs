namespace FriendlyChaoyang.Commendations;

public sealed class CommendationOptions
{
    public const string Section = "Commendations";

    /// <summary>Points per kind (configuration <c>Commendations:Points:GoodDeed</c>, ...), credited once per commendation.</summary>
    public CommendationPoints Points { get; set; } = new();

    /// <summary>How often a commendation with undelivered points, reversals or records retries them (a reminder: survives restarts).</summary>
    public TimeSpan TickPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long one delivery may take before the next tick retries it.</summary>
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

public sealed class CommendationPoints
{
    public int GoodDeed { get; set; } = 5;
    public int Banner { get; set; } = 20;
    public int ThankYouLetter { get; set; } = 10;
    public int LetterHome { get; set; } = 10;

    public int For(CommendationKind kind) => kind switch
    {
        CommendationKind.GoodDeed => GoodDeed,
        CommendationKind.Banner => Banner,
        CommendationKind.ThankYouLetter => ThankYouLetter,
        CommendationKind.LetterHome => LetterHome,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a commendation kind."),
    };

    /// <summary>A ledger credit is positive; 0 means the kind earns no points.</summary>
    public bool AreValid => new[] { GoodDeed, Banner, ThankYouLetter, LetterHome }.All(p => p is >= 0 and <= 10_000);
}
