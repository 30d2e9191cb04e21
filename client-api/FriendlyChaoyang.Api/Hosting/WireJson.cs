using System.Text.Json;
using System.Text.Json.Serialization;

namespace FriendlyChaoyang.Api.Hosting;

/// <summary>How values look on the wire: camelCase names (ASP.NET's default), enums as snake_case strings, numbers as numbers.</summary>
public static class WireJson
{
    /// <summary>The API's serializer options, for code that must name a value exactly as a response would.</summary>
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.AllowTrailingCommas = false;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        // The web default also reads numbers from strings, which makes every number "number | string" in the OpenAPI document.
        options.NumberHandling = JsonNumberHandling.Strict;
        return options;
    }
}
