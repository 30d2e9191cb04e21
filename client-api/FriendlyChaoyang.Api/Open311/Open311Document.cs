using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using System.Xml;
using System.Xml.Linq;

namespace FriendlyChaoyang.Api.Open311;

public enum Open311Format
{
    Json,
    Xml,
}

/// <summary>
/// One Open311 response body, built once as a JSON tree with the specification's field names and written in the format the
/// client asked for. The XML is the specification's mapping of that tree (its "Spark convention"): the root element is
/// named by the resource, an array is an element with one child per item named by the array's singular, null is an empty
/// element. Content types and the XML declaration are the specification's.
/// </summary>
public sealed class Open311Document(string root, JsonNode body, Open311Format format, int statusCode = StatusCodes.Status200OK) : IResult
{
    public const string JsonContentType = "application/json; charset=utf-8";
    public const string XmlContentType = "text/xml; charset=utf-8";

    /// <summary>The element name of an array's items, by the array's name (GeoReport v2 and Service Discovery).</summary>
    private static readonly Dictionary<string, string> ItemNames = new(StringComparer.Ordinal)
    {
        ["services"] = "service",
        ["service_requests"] = "request",
        ["errors"] = "error",
        ["attributes"] = "attribute",
        ["values"] = "value",
        ["endpoints"] = "endpoint",
        ["formats"] = "format",
    };

    // Chinese names stay readable; characters that matter in HTML are still escaped.
    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    public static Open311Format? ParseFormat(string? extension) => extension switch
    {
        "json" => Open311Format.Json,
        "xml" => Open311Format.Xml,
        _ => null,
    };

    /// <summary>The format a path asks for; JSON unless it ends in ".xml" (for errors on paths that match no route).</summary>
    public static Open311Format FormatOf(PathString path) =>
        path.Value?.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) == true ? Open311Format.Xml : Open311Format.Json;

    /// <summary>W3C date-time with its offset, in Beijing time (the jurisdiction's own).</summary>
    public static string DateTime(DateTimeOffset at) =>
        at.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        if (format == Open311Format.Json)
        {
            response.ContentType = JsonContentType;
            await response.WriteAsync(body.ToJsonString(JsonOptions), Encoding.UTF8, httpContext.RequestAborted);
            return;
        }
        response.ContentType = XmlContentType;
        var document = new XDocument(new XDeclaration("1.0", "utf-8", null), Element(root, body));
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Async = true, Indent = false };
        using var buffer = new MemoryStream();
        await using (var writer = XmlWriter.Create(buffer, settings))
        {
            await document.SaveAsync(writer, httpContext.RequestAborted);
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(response.Body, httpContext.RequestAborted);
    }

    private static XElement Element(string name, JsonNode? node) => node switch
    {
        null => new XElement(name),
        JsonArray items => new XElement(name, items.Select(item => Element(ItemNames.GetValueOrDefault(name, "item"), item))),
        JsonObject fields => new XElement(name, fields.Select(field => Element(field.Key, field.Value))),
        _ => new XElement(name, Text(node.AsValue())),
    };

    private static string Text(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.ToJsonString(), // a number, in JSON's invariant notation
    };
}
