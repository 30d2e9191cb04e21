using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Orleans.Metadata;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using Orleans.Storage;

namespace FriendlyChaoyang.Api.Errors;

/// <summary>
/// Turns exceptions into ProblemDetails: unreadable requests are the client's 4xx; an unreachable cluster or database
/// is a 503 with Retry-After (the request can be repeated safely: every write is idempotent); anything else is a bug,
/// left to the middleware's 500.
/// </summary>
/// <remarks>
/// Since .NET 10 the exception handler middleware records nothing (log, metric tag) for an exception a handler handled,
/// so the lines below are the only ones: a refused request at Debug without a stack trace (it is the client's mistake,
/// not something an operator acts on), an unavailable cluster at Warning. Unhandled exceptions keep the middleware's
/// error log with the stack trace.
/// </remarks>
public sealed class ProblemExceptionHandler(
    IProblemDetailsService problems, IClusterManifestProvider clusterManifest, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails problem;
        if (exception is BadHttpRequestException bad)
        {
            logger.LogDebug("Refused {Method} {Path} with {Status}: {Reason}",
                httpContext.Request.Method, httpContext.Request.Path, bad.StatusCode, bad.Message);
            problem = new ProblemDetails { Status = bad.StatusCode, Title = "The request could not be read.", Detail = bad.Message };
        }
        else if (IsUnavailable(exception)
            // A cancelled grain activation (its state read outlived the activation timeout while the database
            // hung) is the cluster being unavailable, unless the client itself went away.
            || (exception is OperationCanceledException && !httpContext.RequestAborted.IsCancellationRequested))
        {
            logger.LogWarning("Service unavailable for {Method} {Path}: {Error}: {Reason}",
                httpContext.Request.Method, httpContext.Request.Path, exception.GetType().Name, exception.Message);
            httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
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

    private bool IsUnavailable(Exception exception) => exception switch
    {
        StorageUnavailableException or TimeoutException or NpgsqlException or InconsistentStateException
            or SiloUnavailableException or OrleansMessageRejectionException or ConnectionFailedException => true,
        // Until the client has fetched the cluster's manifest from a gateway it knows no grain types: GetGrain throws
        // ArgumentException ("no implementation for interface") and its messaging InvalidOperationException. With the
        // manifest in hand the same types are bugs.
        ArgumentException or InvalidOperationException when !HasClusterManifest => true,
        AggregateException { InnerExceptions: var inner } => inner.Any(IsUnavailable),
        _ => exception.InnerException is { } innerException && IsUnavailable(innerException),
    };

    // The client starts from a placeholder manifest of version MinValue that lists only itself.
    private bool HasClusterManifest => clusterManifest.Current.Version != MajorMinorVersion.MinValue;
}
