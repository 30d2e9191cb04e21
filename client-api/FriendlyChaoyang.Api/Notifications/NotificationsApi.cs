using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using FriendlyChaoyang.Api.Auth;
using FriendlyChaoyang.Api.Security;
using FriendlyChaoyang.Notifications;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FriendlyChaoyang.Api.Notifications;

/// <summary>The query of both notification routes: only notifications with an id above <c>after</c>.</summary>
public sealed record NotificationsRequest(
    [property: Range(0L, long.MaxValue, ErrorMessage = "A notification id, 0 or more.")] long? After);

public static class NotificationsApi
{
    /// <summary>One long poll of the rider's notification grain; below the client's 10 s response timeout.</summary>
    public static readonly TimeSpan PollTimeout = TimeSpan.FromSeconds(8);

    /// <summary>How long a stream waits before polling again when a poll failed (a silo died, the database hung).</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>Sent to clients as the SSE retry field: how soon to reconnect after the connection drops.</summary>
    public static readonly TimeSpan ReconnectAfter = TimeSpan.FromSeconds(2);

    public const string NotificationEvent = "notification";

    /// <summary>An event with no data, sent when a poll found nothing, so proxies and clients see the connection alive.</summary>
    public const string KeepAliveEvent = "keep-alive";

    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/v1/riders/me/notifications").WithTags("Notifications").RequireAuthorization(Policies.Rider);
        me.MapNotificationRoutes(user => user.RiderId(), "Notifications", "what the app missed while offline");
        return app;
    }

    /// <summary>
    /// The list and the stream of one caller's notification list (the grain keyed <paramref name="keyOf"/> the caller), on a
    /// group that already requires the caller's role: riders' notifications, operators' alerts.
    /// </summary>
    /// <param name="name">Names the operations: list{name} and stream{name}.</param>
    public static RouteGroupBuilder MapNotificationRoutes(this RouteGroupBuilder group, Func<ClaimsPrincipal, string> keyOf, string name, string purpose)
    {
        group.MapGet("/", ([AsParameters] NotificationsRequest request, ClaimsPrincipal user, IClusterClient cluster) =>
                ListAsync(cluster.GetGrain<INotificationsGrain>(keyOf(user)), request))
            .WithName("list" + name)
            .WithSummary("Stored notifications, oldest first.")
            .WithDescription($"Every stored notification with an id above 'after' (default 0), oldest first: {purpose}.");
        group.MapGet("/stream", ([AsParameters] NotificationsRequest request, [FromHeader(Name = "Last-Event-ID")] string? lastEventId,
                HttpContext http, ClaimsPrincipal user, IClusterClient cluster, ILoggerFactory loggers) =>
                Stream(cluster.GetGrain<INotificationsGrain>(keyOf(user)), request, lastEventId, http, loggers))
            .LimitConcurrentStreams()
            .WithName("stream" + name)
            .WithSummary("Notifications as Server-Sent Events.")
            .WithDescription($"text/event-stream of every notification after Last-Event-ID (or 'after'), live as they arrive: event " +
                $"'{NotificationEvent}', id = the notification's id, data = the notification as JSON. An event '{KeepAliveEvent}' without " +
                "data follows every poll that found nothing (about every 8 s); clients ignore it. Reconnect with Last-Event-ID to resume.")
            // Each event's data is a Notification (the result type itself would describe its SseItem wrapper).
            .Produces<Notification>(StatusCodes.Status200OK, "text/event-stream");
        return group;
    }

    private static async Task<Ok<IReadOnlyList<Notification>>> ListAsync(INotificationsGrain grain, NotificationsRequest request) =>
        TypedResults.Ok(await grain.ListAsync(request.After ?? 0));

    private static ServerSentEventsResult<Notification?> Stream(
        INotificationsGrain grain, NotificationsRequest request, string? lastEventId, HttpContext http, ILoggerFactory loggers)
    {
        // An unreadable Last-Event-ID is ignored, as browsers send whatever id they last saw.
        var resumeAfter = long.TryParse(lastEventId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : request.After ?? 0;
        http.Response.Headers["X-Accel-Buffering"] = "no"; // nginx would otherwise hold events back
        return TypedResults.ServerSentEvents(EventsAfter(grain, resumeAfter, loggers.CreateLogger(typeof(NotificationsApi)), http.RequestAborted));
    }

    /// <summary>
    /// Long-polls the caller's grain: each poll returns what is stored after the last id sent, so nothing is lost across a
    /// silo failure (the next poll reaches the reactivated grain) or a reconnect (Last-Event-ID).
    /// </summary>
    private static async IAsyncEnumerable<SseItem<Notification?>> EventsAfter(
        INotificationsGrain grain, long lastId, ILogger logger, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Sent at once: the client sees the stream open before anything happens, and learns the reconnect delay.
        yield return new SseItem<Notification?>(null, KeepAliveEvent) { ReconnectionInterval = ReconnectAfter };
        while (await PollAsync(grain, lastId, logger, cancellationToken) is { } items)
        {
            if (items.Count == 0)
            {
                yield return new SseItem<Notification?>(null, KeepAliveEvent);
            }
            foreach (var item in items)
            {
                yield return new SseItem<Notification?>(item, NotificationEvent) { EventId = item.Id.ToString(CultureInfo.InvariantCulture) };
                lastId = item.Id;
            }
        }
    }

    /// <returns>What arrived after <paramref name="lastId"/> (empty after a quiet or failed poll), or null once the client left.</returns>
    private static async Task<IReadOnlyList<Notification>?> PollAsync(
        INotificationsGrain grain, long lastId, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            return await grain.WaitAsync(lastId, PollTimeout).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansException or StorageUnavailableException)
        {
            logger.LogWarning("Notification poll failed ({Error}); retrying in {Delay}", ex.Message, RetryDelay);
            try
            {
                await Task.Delay(RetryDelay, cancellationToken);
                return [];
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }
    }
}
