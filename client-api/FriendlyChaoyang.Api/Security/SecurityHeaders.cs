namespace FriendlyChaoyang.Api.Security;

/// <summary>
/// Standard response headers on every response, errors and photos included. They are set when the response starts,
/// so a response the exception handler or the status-code pages rewrote carries them too.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>API answers are data, never a page: nothing in them may load or run, and nobody may frame them.</summary>
    public const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'";

    /// <summary>
    /// The HTML tools (the API reference at /docs, the Orleans dashboard) run their own inline scripts and styles;
    /// they only must not be framed (clickjacking).
    /// </summary>
    public const string PagePolicy = "frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        http.Response.OnStarting(static state =>
        {
            var response = (HttpResponse)state;
            var headers = response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            // A page that states its own policy (the operator console) keeps it.
            headers.ContentSecurityPolicy = headers.ContentSecurityPolicy.Count > 0 ? headers.ContentSecurityPolicy
                : response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true
                    ? PagePolicy
                    : ApiPolicy;
            return Task.CompletedTask;
        }, http.Response);
        return next(http);
    });
}
