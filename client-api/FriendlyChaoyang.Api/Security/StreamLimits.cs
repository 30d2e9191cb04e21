using System.Threading.RateLimiting;
using FriendlyChaoyang.Api.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace FriendlyChaoyang.Api.Security;

/// <summary>
/// Caps open Server-Sent Event streams per user and per API instance (<see cref="RateLimitOptions.StreamsPerUser"/>,
/// <see cref="RateLimitOptions.StreamsTotal"/>): each one holds a connection and polls a grain for as long as it lives.
/// </summary>
public sealed class StreamLimits : IDisposable
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(10);

    private readonly RateLimitOptions _limits;
    private readonly PartitionedRateLimiter<string> _perUser;
    private readonly ConcurrencyLimiter _total;

    public StreamLimits(RateLimitOptions limits)
    {
        _limits = limits;
        _perUser = PartitionedRateLimiter.Create<string, string>(user => RateLimitPartition.GetConcurrencyLimiter(
            user, _ => new ConcurrencyLimiterOptions { PermitLimit = limits.StreamsPerUser, QueueLimit = 0 }));
        _total = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = limits.StreamsTotal, QueueLimit = 0 });
    }

    public void Dispose()
    {
        _perUser.Dispose();
        _total.Dispose();
    }

    /// <summary>
    /// Admits the stream, or answers 429. The lease is released when the response ends (the client disconnected or the
    /// server stopped), not when the handler returns: a streaming result keeps writing after that.
    /// </summary>
    private ProblemHttpResult? Admit(HttpContext http)
    {
        var mine = _perUser.AttemptAcquire(http.User.Subject() ?? RateLimits.ClientAddress(http));
        if (!mine.IsAcquired)
        {
            mine.Dispose();
            return SecurityProblems.TooManyRequests(http,
                $"At most {_limits.StreamsPerUser} notification streams may be open per user; close one first.", RetryAfter);
        }
        var all = _total.AttemptAcquire();
        if (!all.IsAcquired)
        {
            mine.Dispose();
            all.Dispose();
            return SecurityProblems.TooManyRequests(http, "This server has as many notification streams open as it serves.", RetryAfter);
        }
        http.Response.RegisterForDispose(mine);
        http.Response.RegisterForDispose(all);
        return null;
    }

    /// <summary>The endpoint filter a streaming route adds with <see cref="StreamLimitExtensions.LimitConcurrentStreams{TBuilder}"/>.</summary>
    internal static async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        context.HttpContext.RequestServices.GetRequiredService<StreamLimits>().Admit(context.HttpContext) ?? await next(context);
}

public static class StreamLimitExtensions
{
    /// <summary>Caps how many of these streams one user, and the whole instance, may hold open (429 beyond).</summary>
    public static TBuilder LimitConcurrentStreams<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(StreamLimits.FilterAsync)
            .WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status429TooManyRequests, typeof(ProblemDetails), ["application/problem+json"]));
}
