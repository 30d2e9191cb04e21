using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;

namespace FriendlyChaoyang.Api.Errors;

/// <summary>
/// Turns exceptions into ProblemDetails: unreadable requests are the client's 4xx; an unreachable cluster or database
/// is a 503 with Retry-After (the request can be repeated safely: every write is idempotent); anything else is a bug.
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails problem;
        if (exception is BadHttpRequestException bad)
        {
            problem = new ProblemDetails { Status = bad.StatusCode, Title = "The request could not be read.", Detail = bad.Message };
        }
        else if (IsUnavailable(exception)
            // A cancelled grain activation (its state read outlived the activation timeout while the database
            // hung) is the cluster being unavailable, unless the client itself went away.
            || (exception is OperationCanceledException && !httpContext.RequestAborted.IsCancellationRequested))
        {
            logger.LogWarning(exception, "Service unavailable for {Path}", httpContext.Request.Path);
            httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Service temporarily unavailable.",
                Detail = "The cluster or its database did not answer in time. Nothing was acknowledged; retry the same request.",
            };
        }
        else
        {
            return false;
        }
        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    private static bool IsUnavailable(Exception exception) => exception switch
    {
        StorageUnavailableException or TimeoutException or NpgsqlException
            or SiloUnavailableException or OrleansMessageRejectionException or ConnectionFailedException => true,
        Orleans.Storage.InconsistentStateException => true,
        // No silo connected yet: the client knows no grain types ("Could not find an implementation for interface")
        // or is not initialised. Every grain interface has an implementation in the silos, so this means "no cluster".
        ArgumentException { Source: "Orleans.Core" } or InvalidOperationException { Source: "Orleans.Core" } => true,
        AggregateException { InnerExceptions: var inner } => inner.Any(IsUnavailable),
        _ => exception.InnerException is { } innerException && IsUnavailable(innerException),
    };
}
