using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using FriendlyChaoyang.Api.Auth;
using FriendlyChaoyang.Api.Security;
using FriendlyChaoyang.Notifications;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace FriendlyChaoyang.Api.Notifications;

public static class NotificationsApi
{
    /// <summary>One long poll of the rider's notification grain; below the client's 10 s response timeout.</summary>
    public static readonly TimeSpan PollTimeout = TimeSpan.FromSeconds(8);

    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/v1/riders/me/notifications").WithTags("Notifications").RequireAuthorization(Policies.Rider);
        me.MapGet("/", ListAsync).WithSummary("Stored notifications with an id above 'after', oldest first.");
        me.MapGet("/stream", StreamAsync).LimitConcurrentStreams()
            .WithSummary("Server-Sent Events: every notification after Last-Event-ID (or 'after'); event id = notification id.")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream");
        return app;
    }

    public static async Task<Results<Ok<IReadOnlyList<Notification>>, ValidationProblem>> ListAsync(
        ClaimsPrincipal user, IClusterClient cluster, long? after)
    {
        if (after is < 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["after"] = ["A notification id, 0 or more."] });
        }
        return TypedResults.Ok(await cluster.GetGrain<INotificationsGrain>(user.RiderId()).ListAsync(after ?? 0));
    }

    /// <summary>
    /// Streams by long-polling the rider's grain: each poll returns what is stored after the last id sent, so nothing is
    /// lost across a silo failure (the next poll reaches the reactivated grain) or a reconnect (Last-Event-ID).
    /// </summary>
    public static async Task StreamAsync(
        HttpContext http, ClaimsPrincipal user, IClusterClient cluster, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
        ILoggerFactory loggers, long? after)
    {
        var lastId = Math.Max(0, after ?? 0);
        if (long.TryParse(http.Request.Headers["Last-Event-ID"], NumberStyles.None, CultureInfo.InvariantCulture, out var resumeFrom))
        {
            lastId = resumeFrom;
        }
        var logger = loggers.CreateLogger(typeof(NotificationsApi));
        var grain = cluster.GetGrain<INotificationsGrain>(user.RiderId());
        var cancellationToken = http.RequestAborted;

        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        await WriteAsync(http, "retry: 2000\n\n", cancellationToken);

        while (!cancellationToken.IsCancellationRequested)
        {
            IReadOnlyList<Notification> items;
            try
            {
                items = await grain.WaitAsync(lastId, PollTimeout).WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is TimeoutException or OrleansException or StorageUnavailableException)
            {
                logger.LogWarning(ex, "Notification poll failed; retrying");
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                continue;
            }
            var text = new StringBuilder();
            foreach (var item in items)
            {
                text.Append(CultureInfo.InvariantCulture, $"id: {item.Id}\nevent: notification\ndata: {JsonSerializer.Serialize(item, json.Value.SerializerOptions)}\n\n");
                lastId = item.Id;
            }
            if (items.Count == 0)
            {
                text.Append(": keep-alive\n\n"); // lets proxies and clients see the connection is alive
            }
            try
            {
                await WriteAsync(http, text.ToString(), cancellationToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException)
            {
                return;
            }
        }
    }

    private static async Task WriteAsync(HttpContext http, string text, CancellationToken cancellationToken)
    {
        await http.Response.WriteAsync(text, cancellationToken);
        await http.Response.Body.FlushAsync(cancellationToken);
    }
}
