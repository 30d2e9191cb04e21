using System.Text.RegularExpressions;

namespace FriendlyChaoyang.Api.Security;

/// <summary>
/// Checks every route value of the REST API (station and issue ids, voucher codes, key ids, ...) once, before any
/// handler passes it to GetGrain: a key of whitespace or control characters makes Orleans throw, which would be a 500.
/// Applies to every route under the prefixes below, including routes added later.
/// </summary>
public static partial class RouteIds
{
    public const int MaxLength = 128;

    public const string Rule = "1-128 letters, digits, '-', '_', '.' or ':', starting with a letter or digit.";

    private static readonly string[] Prefixes = ["/api", "/open311"];

    public static bool IsValid(string value) => Pattern().IsMatch(value);

    public static IApplicationBuilder UseRouteIdValidation(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.GetEndpoint() is RouteEndpoint endpoint && Prefixes.Any(p => http.Request.Path.StartsWithSegments(p)))
        {
            Dictionary<string, string[]>? errors = null;
            foreach (var parameter in endpoint.RoutePattern.Parameters)
            {
                if (!parameter.IsCatchAll && http.Request.RouteValues[parameter.Name] is string value && !IsValid(value))
                {
                    (errors ??= [])[parameter.Name] = [Rule];
                }
            }
            if (errors is not null)
            {
                await TypedResults.ValidationProblem(errors).ExecuteAsync(http);
                return;
            }
        }
        await next(http);
    });

    // \z, not $: $ also matches before a trailing newline.
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}\z")]
    private static partial Regex Pattern();
}
