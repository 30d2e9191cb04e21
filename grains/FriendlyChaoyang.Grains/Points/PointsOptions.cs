namespace FriendlyChaoyang.Points;

public sealed class PointsOptions
{
    public const string Section = "Points";

    /// <summary>Credited to the first reporter when an issue is resolved.</summary>
    public int ReporterPoints { get; set; } = 2;

    /// <summary>Credited to each rider whose report was linked to the resolved issue.</summary>
    public int CoReporterPoints { get; set; } = 1;

    /// <summary>An unconfirmed redemption releases its points after this long.</summary>
    public TimeSpan HoldTtl { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often a ledger with open holds looks for expired ones (a reminder, so it survives restarts).</summary>
    public TimeSpan HoldSweepPeriod { get; set; } = TimeSpan.FromMinutes(5);
}
