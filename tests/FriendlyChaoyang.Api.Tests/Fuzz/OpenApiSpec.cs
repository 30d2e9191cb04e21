using System.Text.Json;

namespace FriendlyChaoyang.Api.Tests.Fuzz;

/// <summary>The parts of an OpenAPI 3.1 document the fuzzer reads: operations, parameters, bodies and responses.</summary>
public sealed class OpenApiSpec(JsonElement root)
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    public IEnumerable<FuzzOperation> Operations() =>
        from path in root.GetProperty("paths").EnumerateObject()
        from method in path.Value.EnumerateObject()
        where Methods.Contains(method.Name)
        select new FuzzOperation(this, method.Name.ToUpperInvariant(), path.Name, method.Value);

    /// <summary>Follows <c>$ref</c> and picks the first non-null alternative of <c>oneOf</c>/<c>anyOf</c>.</summary>
    public JsonElement Resolve(JsonElement schema)
    {
        for (var depth = 0; depth < 16; depth++)
        {
            if (schema.TryGetProperty("$ref", out var reference))
            {
                var name = reference.GetString()!.Split('/')[^1];
                schema = root.GetProperty("components").GetProperty("schemas").GetProperty(name);
            }
            else if (schema.TryGetProperty("oneOf", out var alternatives) || schema.TryGetProperty("anyOf", out alternatives))
            {
                schema = alternatives.EnumerateArray().FirstOrDefault(a => Kind(a) != "null", alternatives[0]);
            }
            else
            {
                return schema;
            }
        }
        throw new InvalidOperationException("A schema reference loops.");
    }

    /// <summary>
    /// The JSON kind a schema describes. ASP.NET Core writes numbers as <c>["integer", "string"]</c> (a pattern allows
    /// numbers in strings), so the first of integer, number, boolean, array, object, string wins.
    /// </summary>
    public static string Kind(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return "any";
        }
        var types = !schema.TryGetProperty("type", out var type) ? []
            : type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToArray()
            : [type.GetString()!];
        foreach (var kind in new[] { "integer", "number", "boolean", "array", "object", "string" })
        {
            if (types.Contains(kind))
            {
                return kind;
            }
        }
        if (schema.TryGetProperty("properties", out _) || schema.TryGetProperty("$ref", out _))
        {
            return "object";
        }
        return types.Contains("null") ? "null" : "any";
    }
}

public sealed record FuzzParameter(string Name, string In, bool Required, JsonElement Schema);

/// <summary>One operation: what it takes and which responses it documents (media type to schema, per status).</summary>
public sealed class FuzzOperation
{
    public FuzzOperation(OpenApiSpec spec, string method, string path, JsonElement node)
    {
        Spec = spec;
        Method = method;
        Path = path;
        Parameters = node.TryGetProperty("parameters", out var parameters)
            ? [.. parameters.EnumerateArray().Select(p => new FuzzParameter(
                p.GetProperty("name").GetString()!, p.GetProperty("in").GetString()!,
                p.TryGetProperty("required", out var required) && required.GetBoolean(),
                p.TryGetProperty("schema", out var schema) ? spec.Resolve(schema) : default))]
            : [];
        if (node.TryGetProperty("requestBody", out var body))
        {
            var content = body.GetProperty("content").EnumerateObject().First();
            BodyMediaType = content.Name;
            BodySchema = content.Value.TryGetProperty("schema", out var schema) ? spec.Resolve(schema) : default;
            BodyRequired = body.TryGetProperty("required", out var required) && required.GetBoolean();
        }
        Responses = node.GetProperty("responses").EnumerateObject().ToDictionary(
            r => r.Name,
            r => r.Value.TryGetProperty("content", out var content)
                ? content.EnumerateObject().ToDictionary(c => c.Name, c => c.Value.TryGetProperty("schema", out var s) ? spec.Resolve(s) : default)
                : []);
    }

    public OpenApiSpec Spec { get; }

    public string Method { get; }

    public string Path { get; }

    public string Name => $"{Method} {Path}";

    public IReadOnlyList<FuzzParameter> Parameters { get; }

    public string? BodyMediaType { get; }

    public JsonElement BodySchema { get; }

    public bool BodyRequired { get; }

    public IReadOnlyDictionary<string, Dictionary<string, JsonElement>> Responses { get; }

    /// <returns>The media types and schemas documented for the status, or null when the status is not documented.</returns>
    public Dictionary<string, JsonElement>? Documented(int status) =>
        Responses.GetValueOrDefault(status.ToString(System.Globalization.CultureInfo.InvariantCulture))
        ?? Responses.GetValueOrDefault($"{status / 100}XX")
        ?? Responses.GetValueOrDefault("default");
}
