using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace FriendlyChaoyang.Api.Open311;

/// <summary>
/// Every error under /open311 in the specification's shape, <c>[{code, description}]</c> or <c>&lt;errors&gt;</c>, instead
/// of ProblemDetails: the handlers' own problems, validation, unknown paths (status code pages), the rate limiter's 429
/// and the exception handler's 503 all go through <see cref="IProblemDetailsService"/>, and this writer answers for
/// /open311 before the default one. One validation problem becomes one error per message.
/// </summary>
public sealed class Open311ProblemWriter : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => context.HttpContext.Request.Path.StartsWithSegments(Open311Api.Prefix);

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        var code = problem.Status ?? http.Response.StatusCode;
        IEnumerable<JsonObject> errors = problem is HttpValidationProblemDetails { Errors.Count: > 0 } validation
            ? validation.Errors.SelectMany(e => e.Value.Select(message => Error(code, $"{e.Key}: {message}")))
            : [Error(code, problem.Detail ?? problem.Title ?? ReasonPhrases.GetReasonPhrase(code))];
        var document = new Open311Document("errors", new JsonArray([.. errors]), Open311Document.FormatOf(http.Request.Path), HttpStatusOf(code));
        return new ValueTask(document.ExecuteAsync(http));
    }

    /// <summary>
    /// GeoReport v2: 404 for what does not exist, 403 for a missing or invalid api_key, 400 for anything else the client
    /// got wrong; the body's code keeps the precise reason (e.g. 422 for a reused Idempotency-Key, 413 for a large file).
    /// 429 and 503 keep their status: clients and proxies retry on them, after Retry-After.
    /// </summary>
    public static int HttpStatusOf(int code) => code switch
    {
        StatusCodes.Status401Unauthorized => StatusCodes.Status403Forbidden,
        StatusCodes.Status403Forbidden or StatusCodes.Status404NotFound or StatusCodes.Status429TooManyRequests or >= 500 => code,
        >= 400 => StatusCodes.Status400BadRequest,
        _ => code,
    };

    private static JsonObject Error(int code, string description) => new() { ["code"] = code, ["description"] = description };
}

public static class Open311Setup
{
    /// <summary>Puts <see cref="Open311ProblemWriter"/> ahead of the default ProblemDetails writer (the service asks writers in order).</summary>
    public static WebApplicationBuilder AddOpen311(this WebApplicationBuilder builder)
    {
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IProblemDetailsWriter, Open311ProblemWriter>());
        return builder;
    }
}
