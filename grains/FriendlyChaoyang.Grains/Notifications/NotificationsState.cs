namespace FriendlyChaoyang.Notifications;

[GenerateSerializer, Alias("fc.NotificationsState")]
public sealed class NotificationsState
{
    [Id(0)] public List<Notification> Items { get; set; } = [];
    [Id(1)] public long LastId { get; set; }

    /// <summary>Causes already stored (newest last, capped), so a redelivered event is not shown twice.</summary>
    [Id(2)] public List<string> RecentCauses { get; set; } = [];
}
