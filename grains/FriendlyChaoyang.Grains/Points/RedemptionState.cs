namespace FriendlyChaoyang.Points;

[GenerateSerializer, Alias("fc.RedemptionState")]
public sealed class RedemptionState
{
    [Id(0)] public Redemption? Redemption { get; set; }
}
