namespace FriendlyChaoyang.Points;

[GenerateSerializer, Alias("fc.RedemptionState")]
public sealed class RedemptionState
{
    [Id(0)] public Redemption? Redemption { get; set; }

    /// <summary>The creating request's fingerprint; null in vouchers stored before fingerprints, which match any replay.</summary>
    [Id(1)] public string? Fingerprint { get; set; }

    /// <summary>Every confirmation that changed the voucher, oldest first (empty in vouchers stored before the audit).</summary>
    [Id(2)] public List<RedemptionConfirmation> Confirmations { get; set; } = [];
}
