using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FriendlyChaoyang.Api.Tests.Issues;
using Microsoft.AspNetCore.TestHost;
using Xunit.Abstractions;

namespace FriendlyChaoyang.Api.Tests.Fuzz;

/// <summary>
/// Schema-driven fuzzing of the live API: for every operation in /openapi/v1.json, generated valid and broken requests
/// anonymously, as a rider and as an operator. Every answer must be below 500, have a status the document lists for
/// that operation and, where it declares a JSON body, JSON of the declared shape. All findings come in one failure;
/// the test output lists each one.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Fuzz")]
public sealed class OpenApiFuzzTests(ApiFixture fixture, ITestOutputHelper output)
{
    /// <summary>The requests are a function of this seed (answers also depend on the state earlier requests left).</summary>
    public const int Seed = 20_251_109;

    private const int RequestsPerIdentity = 20;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private sealed record Finding(string Kind, string Operation, string Identity, string Request, int? Status, string Detail);

    [Fact]
    public async Task EveryOperationAnswersGeneratedRequestsBelow500WithADocumentedStatusAndShape()
    {
        // An API instance of its own on the shared cluster, so what the run uses up in one instance (rate limits,
        // stream caps) is not taken from the other tests.
        await using var api = await fixture.StartApiAsync();
        using var client = api.GetTestServer().CreateClient();
        var spec = new OpenApiSpec(await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json"));
        var riderToken = await fixture.TokenAsync("fuzz-rider", "rider");
        var data = await LoadDataAsync(client, riderToken);
        var operatorToken = await fixture.TokenAsync("fuzz-operator", "operator", data.Subdistricts[^1]);
        (string Name, string? Token)[] identities = [("anonymous", null), ("rider", riderToken), ("operator", operatorToken)];
        var generator = new FuzzRequestGenerator(data);
        var operations = spec.Operations().ToList();
        var plan = (
            from operation in operations
            let random = new Random(Seed ^ StableHash(operation.Name))
            from identity in identities
            from request in generator.Generate(operation, random, RequestsPerIdentity)
            select (operation, identity, request)).ToList();

        var findings = new List<Finding>();
        var clock = Stopwatch.StartNew();
        var sent = 0;
        try
        {
            foreach (var (operation, identity, request) in plan.TakeWhile(_ => clock.Elapsed < Budget))
            {
                sent++;
                findings.AddRange(await SendAndCheckAsync(client, operation, identity.Name, identity.Token, request));
            }
        }
        finally
        {
            await CheckOutEverywhereAsync(client, riderToken, data);
        }

        foreach (var finding in findings)
        {
            output.WriteLine($"{finding.Kind}: {finding.Operation} -> {finding.Status} as {finding.Identity}: {finding.Request}: {finding.Detail}");
        }
        var finished = sent == plan.Count;
        Assert.True(findings.Count == 0 && finished, Report(findings, sent, plan.Count, operations.Count, clock.Elapsed));
    }

    private static async Task<List<Finding>> SendAndCheckAsync(HttpClient client, FuzzOperation operation, string identity, string? token, FuzzRequest request)
    {
        Finding Found(string kind, int? status, string detail) => new(kind, operation.Name, identity, request.ToString(), status, detail);

        using var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(request.Url, UriKind.Relative));
        if (token is not null)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        foreach (var (name, value) in request.Headers)
        {
            Assert.True(message.Headers.TryAddWithoutValidation(name, value), $"the generator made a header HTTP cannot carry: {request}");
        }
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
            if (request.ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
            }
        }

        using var timeout = new CancellationTokenSource(RequestTimeout);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or IOException)
        {
            return [Found("no answer", null, $"{ex.GetType().Name}: {ex.Message}")];
        }
        using (response)
        {
            var status = (int)response.StatusCode;
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            byte[] body = [];
            // An event stream does not end: its status and headers are the answer.
            if (mediaType != "text/event-stream")
            {
                try
                {
                    body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or IOException)
                {
                    return [Found("no answer", status, $"the body did not arrive: {ex.GetType().Name}: {ex.Message}")];
                }
            }
            return [.. Check(operation, status, mediaType, body).Select(problem => Found(problem.Kind, status, problem.Detail))];
        }
    }

    private static List<(string Kind, string Detail)> Check(FuzzOperation operation, int status, string? mediaType, byte[] body)
    {
        if (status >= 500)
        {
            return [("5xx", Text(body, 300))];
        }
        var documented = operation.Documented(status);
        if (documented is null)
        {
            return [("undocumented status", $"documented: {string.Join(", ", operation.Responses.Keys)}")];
        }
        if (documented.Count == 0)
        {
            return [];
        }
        if (mediaType is null || !documented.TryGetValue(mediaType, out var schema))
        {
            return [("schema", $"content type {mediaType ?? "(none)"} is not among {string.Join(", ", documented.Keys)}")];
        }
        if (!mediaType.EndsWith("json", StringComparison.Ordinal) || schema.ValueKind != JsonValueKind.Object)
        {
            return [];
        }
        JsonElement json;
        try
        {
            json = JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException ex)
        {
            return [("schema", $"the body is not JSON ({ex.Message}): {Text(body, 100)}")];
        }
        var kind = OpenApiSpec.Kind(schema);
        var shapeMatches = kind switch
        {
            "object" => json.ValueKind == JsonValueKind.Object,
            "array" => json.ValueKind == JsonValueKind.Array,
            "string" => json.ValueKind == JsonValueKind.String,
            "integer" or "number" => json.ValueKind is JsonValueKind.Number or JsonValueKind.String,
            "boolean" => json.ValueKind is JsonValueKind.True or JsonValueKind.False,
            _ => true,
        };
        if (!shapeMatches)
        {
            return [("schema", $"declared {kind}, got {json.ValueKind}")];
        }
        var missing = kind == "object" && schema.TryGetProperty("required", out var required)
            ? required.EnumerateArray().Select(r => r.GetString()!).Where(r => !json.TryGetProperty(r, out _)).ToList()
            : [];
        return missing.Count == 0 ? [] : [("schema", $"required {string.Join(", ", missing)} missing")];
    }

    private static string Report(List<Finding> findings, int sent, int planned, int operations, TimeSpan elapsed)
    {
        var report = new StringBuilder();
        report.Append(CultureInfo.InvariantCulture,
            $"Fuzz run with seed {Seed}: {sent} of {planned} requests to {operations} operations in {elapsed.TotalSeconds:F0} s");
        report.AppendLine(sent == planned ? $"; {findings.Count} findings." : $", stopped by the {Budget.TotalSeconds:F0} s budget; {findings.Count} findings.");
        foreach (var kind in new[] { "5xx", "no answer", "undocumented status", "schema" })
        {
            var ofKind = findings.Where(f => f.Kind == kind).ToList();
            if (ofKind.Count == 0)
            {
                continue;
            }
            report.AppendLine(CultureInfo.InvariantCulture, $"{kind} ({ofKind.Count}):");
            foreach (var group in ofKind.GroupBy(f => (f.Operation, f.Status)).OrderBy(g => g.Key.Operation, StringComparer.Ordinal).ThenBy(g => g.Key.Status))
            {
                var identities = string.Join("/", group.Select(f => f.Identity).Distinct());
                var detail = kind == "undocumented status" ? $" ({group.First().Detail})" : "";
                report.AppendLine(CultureInfo.InvariantCulture, $"  {group.Key.Operation} -> {group.Key.Status?.ToString(CultureInfo.InvariantCulture) ?? "-"} x{group.Count()} as {identities}{detail}");
                foreach (var example in group.Take(kind is "5xx" or "no answer" ? 25 : 2))
                {
                    report.AppendLine(CultureInfo.InvariantCulture, $"      e.g. [{example.Identity}] {example.Request}{(kind == "undocumented status" ? "" : " => " + example.Detail)}");
                }
            }
        }
        return report.ToString();
    }

    /// <summary>The catalogue, stations and an issue of the last subdistrict, away from the places other tests use.</summary>
    private static async Task<FuzzData> LoadDataAsync(HttpClient client, string riderToken)
    {
        var categories = Ids(await client.GetFromJsonAsync<JsonElement>("/api/v1/issue-categories"));
        var subdistricts = await client.GetFromJsonAsync<JsonElement>("/api/v1/subdistricts");
        var rewards = Ids(await client.GetFromJsonAsync<JsonElement>("/api/v1/rewards"));
        var home = subdistricts[subdistricts.GetArrayLength() - 1];
        var (lat, lon) = (home.GetProperty("lat").GetDouble(), home.GetProperty("lon").GetDouble());
        var stations = Ids(await client.GetFromJsonAsync<JsonElement>(
            FormattableString.Invariant($"/api/v1/stations/nearby?lat={lat}&lon={lon}&radius=20000&limit=5")));

        using var report = new HttpRequestMessage(HttpMethod.Post, "/api/v1/issues")
        {
            Content = IssuesApiTests.Report(categories[0], lat, lon, "fuzz", TestPhotos.PngWithText(), "p.png"),
        };
        report.Headers.Authorization = new AuthenticationHeaderValue("Bearer", riderToken);
        using var created = await client.SendAsync(report);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var issueId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        return new FuzzData(stations, [issueId], categories, Ids(subdistricts), rewards, lat, lon);
    }

    /// <summary>Leaves no seat taken by the fuzz rider.</summary>
    private static async Task CheckOutEverywhereAsync(HttpClient client, string riderToken, FuzzData data)
    {
        foreach (var station in data.StationIds)
        {
            using var checkOut = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/stations/{station}/check-out");
            checkOut.Headers.Authorization = new AuthenticationHeaderValue("Bearer", riderToken);
            using var _ = await client.SendAsync(checkOut);
        }
    }

    private static List<string> Ids(JsonElement items) => [.. items.EnumerateArray().Select(i => i.GetProperty("id").GetString()!)];

    private static string Text(byte[] body, int length)
    {
        var text = Encoding.UTF8.GetString(body);
        return text.Length <= length ? text : text[..length] + "...";
    }

    /// <summary>FNV-1a: string.GetHashCode differs between processes, and the requests must not.</summary>
    private static int StableHash(string text)
    {
        unchecked
        {
            var hash = (int)2166136261;
            foreach (var c in text)
            {
                hash = (hash ^ c) * 16777619;
            }
            return hash;
        }
    }
}
