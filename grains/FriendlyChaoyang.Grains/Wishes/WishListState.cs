namespace FriendlyChaoyang.Wishes;

[GenerateSerializer, Alias("fc.WishListState")]
public sealed class WishListState
{
    /// <summary>The latest view of each wish on the list, by wish id.</summary>
    [Id(0)] public Dictionary<string, WishView> Wishes { get; set; } = [];
}
