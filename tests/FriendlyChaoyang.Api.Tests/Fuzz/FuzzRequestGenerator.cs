using System.Globalization;
using System.Text;
using System.Text.Json;
using FriendlyChaoyang.Api.Tests.Issues;

namespace FriendlyChaoyang.Api.Tests.Fuzz;

/// <summary>Values the API knows (catalogue ids, stations, an issue, a place), so valid-looking requests get past lookups.</summary>
public sealed record FuzzData(
    IReadOnlyList<string> StationIds, IReadOnlyList<string> IssueIds, IReadOnlyList<string> Categories,
    IReadOnlyList<string> Subdistricts, IReadOnlyList<string> Rewards, double Lat, double Lon);

public sealed record FuzzRequest(string Method, string Url, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[]? Body, string? ContentType, string What)
{
    public override string ToString()
    {
        var text = new StringBuilder($"{Method} {Shorten(Url, 160)}");
        foreach (var (name, value) in Headers)
        {
            text.Append(CultureInfo.InvariantCulture, $" [{name}: {Shorten(value, 40)}]");
        }
        if (Body is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $" [{ContentType ?? "no content type"}, {Body.Length} bytes] {Shorten(Encoding.UTF8.GetString(Body[..Math.Min(Body.Length, 200)]), 100)}");
        }
        return text.Append(CultureInfo.InvariantCulture, $" ({What})").ToString();
    }

    private static string Shorten(string text, int length)
    {
        var printable = string.Concat(text.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
        return printable.Length <= length ? printable : $"{printable[..length]}...({printable.Length} chars)";
    }
}

/// <summary>
/// Generates requests for an operation from its parameters and body: valid-looking ones (values the API knows, or a
/// plausible value for the field's name) and broken ones: wrong types, missing, repeated and extra fields, huge numbers,
/// whitespace, control, bidi and other unicode characters in ids and strings, empty and malformed bodies. Deterministic
/// for a given <see cref="Random"/>.
/// </summary>
public sealed class FuzzRequestGenerator(FuzzData data)
{
    private const string Boundary = "fuzz-boundary-7MA4YWxkTrZu0gW";

    private static readonly string[] NastyText =
    [
        " ", "\t", "\u0000", "\u0007", "\r\n", "\u202Eevil", "a\u200Bb", "\uFEFF", "😀", "ü", "北京", "%", "%00", "a/b", "?x=1", "#",
        "<script>alert(1)</script>", "' OR '1'='1", "null", "true", "-1", "0", "1e400", "NaN", "9223372036854775808",
        new string('x', 3000), " padded ", "\\", "\"",
    ];

    private static readonly string[] NastyNumbers =
    [
        "", "abc", "1e400", "-1e400", "NaN", "Infinity", "-Infinity", "2147483648", "-2147483649", "9223372036854775808",
        "107374184", "1.5", "0x1F", "1,5", "１２", " 1", "1 ", "+1", "-0", "1e-400", "--1", "١", "-2147483648",
    ];

    // Raw JSON for a field whose declared type is something else (or is the same, which is fine too).
    private static readonly string[] WrongJson =
    [
        "\"text\"", "\"\"", "12345", "-1", "0.5", "true", "null", "{}", "[]", "[1,2]", "1e309", "-1e309", "123456789012345678901234567890",
        "{\"nested\":{\"deeper\":[null]}}",
    ];

    private static readonly byte[][] RawBodies =
    [
        [], [.. "{"u8], [.. "}"u8], [.. "null"u8], [.. "[]"u8], [.. "\"text\""u8], [.. "0"u8], [.. "{\"a\":"u8], [.. "{\"x\":1e309}"u8],
        [0xEF, 0xBB, 0xBF, (byte)'{', (byte)'}'], [0xC3, 0x28], [0x00], [.. "{\"a\":1,\"a\":2}"u8],
        Encoding.ASCII.GetBytes(new string('[', 300) + new string(']', 300)),
    ];

    private static readonly string[] Words = ["fuzz", "x", "hello world", "朝阳", "a-b_c", "0", "yes"];

    // The document declares the report's multipart body as a single file (IFormFile) until its fields are described;
    // until then these are the fields, so generated forms still get past the form reader.
    private static readonly string[] ReportFields = ["category", "lat", "lon", "description"];

    private delegate FuzzRequest Strategy(FuzzOperation operation, Random random);

    public IEnumerable<FuzzRequest> Generate(FuzzOperation operation, Random random, int count)
    {
        var strategies = StrategiesFor(operation);
        for (var i = 0; i < count; i++)
        {
            yield return strategies[i % strategies.Count](operation, random);
        }
    }

    private List<Strategy> StrategiesFor(FuzzOperation operation)
    {
        var strategies = new List<Strategy>
        {
            (op, r) => Build(op, r, "valid", ValidParameters(op, r, optional: 0.7), ValidBody(op, r, optional: 0.7)),
            (op, r) => Build(op, r, "valid, required only", ValidParameters(op, r, optional: 0), ValidBody(op, r, optional: 0)),
        };
        if (operation.Parameters.Count > 0)
        {
            strategies.Add((op, r) =>
            {
                var parameters = ValidParameters(op, r, optional: 1);
                var victim = Pick(r, op.Parameters);
                parameters[victim.Name] = [NastyValue(victim.Schema, r, victim.In)];
                return Build(op, r, $"odd {victim.Name}", parameters, ValidBody(op, r, optional: 0.5));
            });
        }
        strategies.Add((op, r) =>
        {
            var parameters = ValidParameters(op, r, optional: 1);
            foreach (var query in op.Parameters.Where(p => p.In == "query"))
            {
                parameters[query.Name] = [.. parameters[query.Name], ValidValue(op, query.Name, query.Schema, r)];
            }
            parameters["unexpected"] = ["1"];
            return Build(op, r, "repeated and unknown query parameters", parameters, ValidBody(op, r, optional: 0.5));
        });
        if (operation.BodyMediaType is "application/json")
        {
            strategies.Add((op, r) => Build(op, r, "a body field missing", ValidParameters(op, r, 1), JsonBody(op, r, optional: 1, drop: true)));
            strategies.Add((op, r) => Build(op, r, "a body field of the wrong type", ValidParameters(op, r, 1), JsonBody(op, r, optional: 1, wrongType: true)));
            strategies.Add((op, r) => Build(op, r, "odd text in a body field", ValidParameters(op, r, 1), JsonBody(op, r, optional: 1, nastyText: true)));
            strategies.Add((op, r) => Build(op, r, "extra body fields", ValidParameters(op, r, 1), JsonBody(op, r, optional: 1, extra: true)));
            strategies.Add((op, r) => Build(op, r, "malformed body", ValidParameters(op, r, 1), (Pick(r, RawBodies), "application/json")));
            strategies.Add((op, r) => Build(op, r, "wrong content type", ValidParameters(op, r, 1),
                (JsonBody(op, r, optional: 1).Body, Pick(r, ["text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data"]))));
            strategies.Add((op, r) => Build(op, r, "no body", ValidParameters(op, r, 1), (null, null)));
        }
        else if (operation.BodyMediaType is "multipart/form-data")
        {
            strategies.Add((op, r) => Build(op, r, "form with random photo bytes", ValidParameters(op, r, 1), Form(op, r, photo: RandomBytes(r, 0, 600))));
            strategies.Add((op, r) => Build(op, r, "form with a damaged photo", ValidParameters(op, r, 1), Form(op, r, photo: Damaged(r, ValidPhoto(r)))));
            strategies.Add((op, r) => Build(op, r, "form with a field missing", ValidParameters(op, r, 1), Form(op, r, drop: true)));
            strategies.Add((op, r) => Build(op, r, "form with odd text", ValidParameters(op, r, 1), Form(op, r, nastyText: true)));
            strategies.Add((op, r) => Build(op, r, "form with repeated and unknown fields", ValidParameters(op, r, 1), Form(op, r, extra: true)));
            strategies.Add((op, r) => Build(op, r, "broken multipart", ValidParameters(op, r, 1), BrokenMultipart(r)));
            strategies.Add((op, r) => Build(op, r, "no body", ValidParameters(op, r, 1), (null, null)));
        }
        return strategies;
    }

    private static FuzzRequest Build(
        FuzzOperation operation, Random random, string what, Dictionary<string, List<string>> parameters, (byte[]? Body, string? ContentType) body)
    {
        var path = operation.Path;
        var query = new List<string>();
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var (name, values) in parameters)
        {
            var location = operation.Parameters.FirstOrDefault(p => p.Name == name)?.In ?? "query";
            foreach (var value in values)
            {
                switch (location)
                {
                    case "path":
                        path = path.Replace("{" + name + "}", Uri.EscapeDataString(value), StringComparison.Ordinal);
                        break;
                    case "header":
                        headers.Add(new(name, value));
                        break;
                    default:
                        query.Add($"{Uri.EscapeDataString(name)}={Uri.EscapeDataString(value)}");
                        break;
                }
            }
        }
        var url = query.Count == 0 ? path : $"{path}?{string.Join('&', query)}";
        return new FuzzRequest(operation.Method, url, headers, body.Body, body.ContentType, what);
    }

    private Dictionary<string, List<string>> ValidParameters(FuzzOperation operation, Random random, double optional)
    {
        var values = new Dictionary<string, List<string>>();
        foreach (var parameter in operation.Parameters)
        {
            if (parameter.Required || parameter.In == "path" || random.NextDouble() < optional)
            {
                values[parameter.Name] = [ValidValue(operation, parameter.Name, parameter.Schema, random)];
            }
        }
        return values;
    }

    private (byte[]? Body, string? ContentType) ValidBody(FuzzOperation operation, Random random, double optional) => operation.BodyMediaType switch
    {
        "application/json" => JsonBody(operation, random, optional),
        "multipart/form-data" => Form(operation, random),
        _ => (null, null),
    };

    /// <summary>A plausible value for a field of this name, else a value of the schema's kind.</summary>
    private string ValidValue(FuzzOperation operation, string name, JsonElement schema, Random random) => name.ToLowerInvariant() switch
    {
        "id" when operation.Path.StartsWith("/api/v1/stations/", StringComparison.Ordinal) => Pick(random, data.StationIds),
        "id" when operation.Path.StartsWith("/api/v1/issues/", StringComparison.Ordinal) => Pick(random, data.IssueIds),
        "code" => string.Concat(Enumerable.Range(0, 8).Select(_ => "0123456789ABCDEFGHJKMNPQRSTVWXYZ"[random.Next(32)])),
        "lat" => Number(data.Lat + ((random.NextDouble() - 0.5) * 0.02)),
        "lon" => Number(data.Lon + ((random.NextDouble() - 0.5) * 0.02)),
        "radius" => Number(random.Next(100, 5000)),
        "limit" => Number(random.Next(1, 50)),
        "page" => Number(random.Next(1, 4)),
        "after" => Number(random.Next(0, 5)),
        "within_minutes" => Number(random.Next(1, 120)),
        "need" => Pick(random, ["seat", "charging", "swap"]),
        "status" => Pick(random, ["open", "submitted", "dispatched", "on_site"]),
        "to" => Pick(random, ["dispatched", "on_site", "resolved", "rejected"]),
        "category" => Pick(random, data.Categories),
        "subdistrict" or "subdistrictid" => Pick(random, data.Subdistricts),
        "rewardid" => Pick(random, data.Rewards),
        "role" => Pick(random, ["rider", "operator"]),
        "subject" => $"fuzz-subject-{random.Next(1000)}",
        "kind" => Pick(random, ["delivery", "courier", "driver"]),
        "platform" => Pick(random, ["meituan", "eleme", "sf"]),
        "displayname" => Pick(random, ["小王", "Rider Wang"]),
        "idempotency-key" => $"fuzz-key-{random.Next(100_000)}",
        _ => OpenApiSpec.Kind(schema) switch
        {
            "integer" => Number(random.Next(0, 100)),
            "number" => Number(Math.Round(random.NextDouble() * 100, 3)),
            "boolean" => random.Next(2) == 0 ? "true" : "false",
            _ => Pick(random, Words),
        },
    };

    private static string NastyValue(JsonElement schema, Random random, string location)
    {
        var pool = OpenApiSpec.Kind(schema) is "integer" or "number" && random.Next(3) > 0 ? NastyNumbers : NastyText;
        var value = Pick(random, pool);
        return location switch
        {
            // An empty, "." or ".." segment names another route (or none), not this operation; a NUL in the path is
            // refused by the server before any routing (and the in-memory test server throws on it).
            "path" when value is "" or "." or ".." || value.Contains('\0', StringComparison.Ordinal) => " ",
            // HTTP carries only visible ASCII, space and tab in a header value.
            "header" when value.Any(c => c is (< ' ' and not '\t') or > '~') => "\t x \t",
            _ => value,
        };
    }

    private (byte[]? Body, string? ContentType) JsonBody(
        FuzzOperation operation, Random random, double optional, bool drop = false, bool wrongType = false, bool nastyText = false, bool extra = false)
    {
        var schema = operation.BodySchema;
        if (OpenApiSpec.Kind(schema) != "object")
        {
            return (Encoding.UTF8.GetBytes(ValidJson(operation, "body", schema, random, 0)), "application/json");
        }
        var fields = Fields(operation, schema, random, optional);
        if (fields.Count > 0)
        {
            var victim = random.Next(fields.Count);
            if (drop)
            {
                fields.RemoveAt(victim);
            }
            else if (wrongType)
            {
                fields[victim] = (fields[victim].Name, Pick(random, WrongJson));
            }
            else if (nastyText)
            {
                fields[victim] = (fields[victim].Name, JsonSerializer.Serialize(Pick(random, NastyText)));
            }
        }
        if (extra)
        {
            fields.Add(("unexpected", "1"));
            fields.Add(("__proto__", "{\"admin\":true}"));
            if (fields.Count > 2)
            {
                fields.Add((fields[0].Name, Pick(random, WrongJson)));
            }
        }
        var json = "{" + string.Join(',', fields.Select(f => $"{JsonSerializer.Serialize(f.Name)}:{f.Json}")) + "}";
        return (Encoding.UTF8.GetBytes(json), "application/json");
    }

    private List<(string Name, string Json)> Fields(FuzzOperation operation, JsonElement schema, Random random, double optional)
    {
        var required = schema.TryGetProperty("required", out var names) ? names.EnumerateArray().Select(n => n.GetString()!).ToHashSet() : [];
        var fields = new List<(string Name, string Json)>();
        if (schema.TryGetProperty("properties", out var properties))
        {
            foreach (var property in properties.EnumerateObject())
            {
                if (required.Contains(property.Name) || random.NextDouble() < optional)
                {
                    fields.Add((property.Name, ValidJson(operation, property.Name, operation.Spec.Resolve(property.Value), random, 1)));
                }
            }
        }
        return fields;
    }

    private string ValidJson(FuzzOperation operation, string name, JsonElement schema, Random random, int depth) => OpenApiSpec.Kind(schema) switch
    {
        "integer" or "number" or "boolean" => ValidValue(operation, name, schema, random),
        "object" when depth < 3 =>
            "{" + string.Join(',', Fields(operation, schema, random, 0.5).Select(f => $"{JsonSerializer.Serialize(f.Name)}:{f.Json}")) + "}",
        "array" when depth < 3 && schema.TryGetProperty("items", out var items) =>
            "[" + string.Join(',', Enumerable.Range(0, random.Next(3)).Select(_ => ValidJson(operation, name, operation.Spec.Resolve(items), random, depth + 1))) + "]",
        "object" or "array" or "null" => "null",
        _ => JsonSerializer.Serialize(ValidValue(operation, name, schema, random)),
    };

    private (byte[]? Body, string? ContentType) Form(
        FuzzOperation operation, Random random, byte[]? photo = null, bool drop = false, bool nastyText = false, bool extra = false)
    {
        var schema = operation.BodySchema;
        string[] names = OpenApiSpec.Kind(schema) == "object" && schema.TryGetProperty("properties", out var properties)
            ? [.. properties.EnumerateObject().Where(p => !IsFile(operation.Spec.Resolve(p.Value))).Select(p => p.Name)]
            : ReportFields;
        var parts = names.Select(n => (Name: n, Value: Encoding.UTF8.GetBytes(ValidValue(operation, n, default, random)), FileName: (string?)null)).ToList();
        parts.Add(("photo", photo ?? ValidPhoto(random), "photo.jpg"));
        if (drop)
        {
            parts.RemoveAt(random.Next(parts.Count));
        }
        if (nastyText)
        {
            var victim = random.Next(parts.Count - 1);
            parts[victim] = (parts[victim].Name, Encoding.UTF8.GetBytes(Pick(random, NastyText)), null);
        }
        if (extra)
        {
            parts.Add((parts[0].Name, Encoding.UTF8.GetBytes(Pick(random, NastyNumbers)), null));
            parts.Add(("unexpected", "1"u8.ToArray(), null));
            parts.Add(("photo", ValidPhoto(random), "second.png"));
        }
        return (Multipart(parts), $"multipart/form-data; boundary={Boundary}");
    }

    private static bool IsFile(JsonElement schema) => schema.TryGetProperty("format", out var format) && format.GetString() == "binary";

    private static byte[] Multipart(IEnumerable<(string Name, byte[] Value, string? FileName)> parts, bool close = true)
    {
        using var body = new MemoryStream();
        foreach (var (name, value, fileName) in parts)
        {
            var disposition = fileName is null ? $"form-data; name=\"{name}\"" : $"form-data; name=\"{name}\"; filename=\"{fileName}\"";
            body.Write(Encoding.UTF8.GetBytes($"--{Boundary}\r\nContent-Disposition: {disposition}\r\n"));
            body.Write(fileName is null ? "\r\n"u8 : "Content-Type: application/octet-stream\r\n\r\n"u8);
            body.Write(value);
            body.Write("\r\n"u8);
        }
        if (close)
        {
            body.Write(Encoding.UTF8.GetBytes($"--{Boundary}--\r\n"));
        }
        return body.ToArray();
    }

    private static (byte[]? Body, string? ContentType) BrokenMultipart(Random random)
    {
        (string Name, byte[] Value, string? FileName)[] fields = [("category", "pothole"u8.ToArray(), null), ("photo", TestPhotos.PngWithText(), "p.png")];
        var withBoundary = $"multipart/form-data; boundary={Boundary}";
        return random.Next(7) switch
        {
            0 => (Multipart(fields), "multipart/form-data"),
            1 => (Multipart(fields, close: false), withBoundary),
            2 => (Multipart(Enumerable.Range(0, 40).Select(i => ($"f{i}", "x"u8.ToArray(), (string?)null))), withBoundary),
            3 => (Multipart(fields), $"multipart/form-data; boundary={new string('b', 100)}"),
            4 => ([.. Encoding.UTF8.GetBytes($"--{Boundary}\r\nX-Nothing: 1\r\n\r\nvalue\r\n--{Boundary}--\r\n")], withBoundary),
            5 => (RandomBytes(random, 0, 300), withBoundary),
            _ => ([], withBoundary),
        };
    }

    private static byte[] ValidPhoto(Random random) => random.Next(3) switch
    {
        0 => TestPhotos.JpegWithExif(),
        1 => TestPhotos.PngWithText(),
        _ => TestPhotos.WebPWithExif(),
    };

    private static byte[] Damaged(Random random, byte[] photo)
    {
        for (var i = random.Next(1, 4); i > 0; i--)
        {
            photo[random.Next(photo.Length)] = (byte)random.Next(256);
        }
        return photo;
    }

    private static byte[] RandomBytes(Random random, int min, int max)
    {
        var bytes = new byte[random.Next(min, max)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
