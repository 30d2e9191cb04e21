using System.Collections.Frozen;
using Microsoft.Net.Http.Headers;

namespace FriendlyChaoyang.Api.Console;

/// <summary>
/// The operator console at /console/: a static page (HTML, JS, CSS embedded in this assembly, so it works offline and
/// from any content root) that talks to the public REST API and SSE like any third-party client.
/// </summary>
public static class ConsolePage
{
    /// <summary>The page runs only its own files: no inline script, nothing from other origins; photos come as blob: URLs.</summary>
    public const string Policy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly FrozenDictionary<string, (string ContentType, byte[] Body)> Assets = LoadAssets();

    public static IEndpointRouteBuilder MapConsole(this IEndpointRouteBuilder app)
    {
        // Routing matches "/console" and "/console/" alike; the page's relative links need the slash.
        app.MapGet("/console/{file?}", (HttpContext http, string? file) => file is null && !http.Request.Path.Value!.EndsWith('/')
            ? TypedResults.Redirect("/console/")
            : Serve(http, file ?? "index.html")).ExcludeFromDescription();
        return app;
    }

    private static IResult Serve(HttpContext http, string file)
    {
        if (!Assets.TryGetValue(file, out var asset))
        {
            return TypedResults.NotFound();
        }
        http.Response.Headers.ContentSecurityPolicy = Policy;
        // Revalidate every time: a redeployed API must not run yesterday's script against today's API.
        http.Response.Headers.CacheControl = "no-cache";
        return TypedResults.Bytes(asset.Body, asset.ContentType);
    }

    private static FrozenDictionary<string, (string, byte[])> LoadAssets()
    {
        const string prefix = "console/";
        var assembly = typeof(ConsolePage).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal))
            .ToFrozenDictionary(name => name[prefix.Length..], name =>
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                return (ContentTypeOf(name), copy.ToArray());
            }, StringComparer.Ordinal);
    }

    private static string ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
}
