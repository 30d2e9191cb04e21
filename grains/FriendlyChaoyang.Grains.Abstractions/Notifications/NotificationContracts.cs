using Orleans.Concurrency;

namespace FriendlyChaoyang.Notifications;

/// <summary>Something to tell a rider; CauseId makes a repeated delivery of the same event a no-op.</summary>
[GenerateSerializer, Immutable, Alias("fc.NotificationDraft")]
public sealed record NotificationDraft(
    [property: Id(0)] string CauseId,
    [property: Id(1)] string Kind,
    [property: Id(2)] string? IssueId,
    [property: Id(3)] string Text);

[GenerateSerializer, Immutable, Alias("fc.Notification")]
public sealed record Notification(
    [property: Id(0)] long Id,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string Kind,
    [property: Id(3)] string? IssueId,
    [property: Id(4)] string Text);

/// <summary>A rider's stored notifications, keyed by rider id: a capped list with increasing ids.</summary>
[Alias("fc.INotificationsGrain")]
public interface INotificationsGrain : IGrainWithStringKey
{
    /// <summary>Stores the notification unless its cause was delivered before; wakes waiting streams.</summary>
    [Alias("Add")]
    Task AddAsync(NotificationDraft draft);

    /// <summary>Notifications with an id above <paramref name="afterId"/>, oldest first.</summary>
    [Alias("List")]
    Task<IReadOnlyList<Notification>> ListAsync(long afterId);

    /// <summary>
    /// Long poll: answers at once if something newer than <paramref name="afterId"/> is stored, else when something
    /// arrives, else empty after <paramref name="timeout"/> (keep it below the caller's response timeout).
    /// </summary>
    [AlwaysInterleave, Alias("Wait")]
    Task<IReadOnlyList<Notification>> WaitAsync(long afterId, TimeSpan timeout);
}

/// <summary>
/// The alerts for one subdistrict's operators live in an <see cref="INotificationsGrain"/> of their own, under a key no rider
/// can have: rider ids are token subjects, which never contain '/'.
/// </summary>
public static class OperatorAlerts
{
    public const string OverdueResponse = "overdue_response";
    public const string OverdueResolve = "overdue_resolve";

    public static string KeyOf(string subdistrictId) => "subdistrict/" + subdistrictId;
}
