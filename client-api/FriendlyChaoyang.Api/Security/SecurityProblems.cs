using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FriendlyChaoyang.Api.Security;

public static class SecurityProblems
{
    /// <summary>A 429 ProblemDetails; Retry-After in whole seconds, at least one.</summary>
    public static ProblemHttpResult TooManyRequests(HttpContext http, string detail, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests.",
            detail: $"{detail} Retry after {seconds} s.");
    }
}
