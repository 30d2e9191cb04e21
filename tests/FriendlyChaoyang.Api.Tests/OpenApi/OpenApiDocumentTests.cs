using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace FriendlyChaoyang.Api.Tests.OpenApi;

/// <summary>The document SDKs are generated from: lint-clean, with a method name, summary and description per operation and every response declared.</summary>
[Collection(ApiCollection.Name)]
public sealed partial class OpenApiDocumentTests(ApiFixture api)
{
    public static readonly string[] OperationIds =
    [
        "nearbyStations", "getStation", "checkIn", "checkOut", "reportIssue", "getIssue", "getIssuePhoto", "transitionIssue",
        "operatorQueue", "listNotifications", "streamNotifications", "getPoints", "redeemReward", "confirmRedemption",
        "cancelRedemption", "getMe", "updateMe", "listIssueCategories", "listRewards", "listSubdistricts", "issueDevToken",
    ];

    [Fact]
    public async Task TheDocumentListsTheV1RoutesAndNotTheDashboard()
    {
        var paths = (await DocumentAsync()).GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();

        Assert.Contains("/api/v1/stations/nearby", paths);
        Assert.Contains("/api/v1/stations/{id}/check-ins", paths);
        Assert.Contains("/api/v1/riders/me", paths);
        Assert.Contains("/api/v1/issue-categories", paths);
        Assert.DoesNotContain(paths, p => p.StartsWith("/dashboard", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SpectralsOasRulesetFindsNoErrorAndNoWarning()
    {
        var root = RepositoryRoot();
        var spectral = Path.Combine(root, "tools", "spectral", "node_modules", ".bin", "spectral");
        Assert.True(File.Exists(spectral), $"Spectral is not installed at {spectral}: run ./test.sh, or npm ci --prefix tools/spectral.");
        var folder = Directory.CreateTempSubdirectory("fc-openapi-");
        try
        {
            var document = Path.Combine(folder.FullName, "v1.json");
            var results = Path.Combine(folder.FullName, "spectral.json");
            await File.WriteAllTextAsync(document, (await DocumentAsync()).GetRawText());

            var (exitCode, output) = await RunAsync(spectral, root,
                "lint", "--ruleset", Path.Combine(root, ".spectral.yaml"), "--format", "json", "--output", results, "--fail-severity", "warn", document);

            Assert.True(File.Exists(results), $"Spectral wrote no results (exit {exitCode}): {output}");
            var findings = JsonDocument.Parse(await File.ReadAllTextAsync(results)).RootElement.EnumerateArray()
                .Where(f => f.GetProperty("severity").GetInt32() <= 1) // 0 error, 1 warning
                .Select(f => $"{f.GetProperty("code").GetString()} at {string.Join('.', f.GetProperty("path").EnumerateArray())}: {f.GetProperty("message").GetString()}")
                .ToList();
            Assert.True(findings.Count == 0, string.Join('\n', findings));
            Assert.Equal(0, exitCode);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task EveryOperationHasAnSdkMethodNameASummaryAndADescription()
    {
        var operations = Operations(await DocumentAsync()).ToList();

        var ids = operations.Select(o => o.Operation.TryGetProperty("operationId", out var id) ? id.GetString() : null).ToList();
        Assert.All(ids, id => Assert.Matches(MethodName(), id ?? ""));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Empty(OperationIds.Except(ids));
        Assert.All(operations, o =>
        {
            Assert.False(string.IsNullOrWhiteSpace(o.Operation.GetProperty("summary").GetString()), o.Name);
            Assert.False(string.IsNullOrWhiteSpace(o.Operation.GetProperty("description").GetString()), o.Name);
        });
    }

    [Fact]
    public async Task EveryProblemAnOperationCanAnswerIsDeclaredAsProblemDetails()
    {
        var operations = Operations(await DocumentAsync()).ToDictionary(o => o.Operation.GetProperty("operationId").GetString()!);

        foreach (var (id, (name, operation)) in operations)
        {
            var responses = operation.GetProperty("responses");
            var statuses = responses.EnumerateObject().Select(r => r.Name).ToHashSet();
            // Every v1 operation asks the cluster, which may be unreachable.
            Assert.Contains("503", statuses);
            if (operation.TryGetProperty("security", out _))
            {
                Assert.Contains("401", statuses);
            }
            if (operation.TryGetProperty("parameters", out _) || operation.TryGetProperty("requestBody", out _))
            {
                Assert.Contains("400", statuses);
            }
            foreach (var response in responses.EnumerateObject().Where(r => r.Name[0] is '4' or '5'))
            {
                var schema = response.Value.GetProperty("content").GetProperty("application/problem+json").GetProperty("schema");
                Assert.True(schema.GetProperty("$ref").GetString() is "#/components/schemas/ProblemDetails" or "#/components/schemas/HttpValidationProblemDetails",
                    $"{name} {response.Name}");
            }
        }
        Assert.Superset(new HashSet<string> { "401", "403", "404", "409" }, Statuses(operations["transitionIssue"].Operation));
        Assert.Superset(new HashSet<string> { "401", "403", "404", "409" }, Statuses(operations["checkIn"].Operation));
        Assert.Superset(new HashSet<string> { "401", "403", "413", "415" }, Statuses(operations["reportIssue"].Operation));
        Assert.DoesNotContain("401", Statuses(operations["nearbyStations"].Operation));
        Assert.Contains("Retry-After", operations["getStation"].Operation.GetProperty("responses").GetProperty("503").GetProperty("headers")
            .EnumerateObject().Select(h => h.Name));
    }

    [Fact]
    public async Task QueryParametersAreNamedAsClientsSendThemAndEnumsListTheirWireValues()
    {
        var nearby = (await DocumentAsync()).GetProperty("paths").GetProperty("/api/v1/stations/nearby").GetProperty("get");
        var parameters = nearby.GetProperty("parameters").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!);

        Assert.Equal(["lat", "lon", "radius", "limit", "need", "within_minutes"], parameters.Keys);
        Assert.Equal(["any", "seat", "charging", "swap"],
            parameters["need"].GetProperty("schema").GetProperty("enum").EnumerateArray().Select(v => v.GetString()!));
    }

    private async Task<JsonElement> DocumentAsync() => await api.Anonymous().GetFromJsonAsync<JsonElement>("/openapi/v1.json");

    private static IEnumerable<(string Name, JsonElement Operation)> Operations(JsonElement document) =>
        from path in document.GetProperty("paths").EnumerateObject()
        from operation in path.Value.EnumerateObject()
        select ($"{operation.Name.ToUpperInvariant()} {path.Name}", operation.Value);

    private static HashSet<string> Statuses(JsonElement operation) =>
        operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToHashSet();

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "FriendlyChaoyang.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException($"No FriendlyChaoyang.sln above {AppContext.BaseDirectory}.");
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex("^[a-z][A-Za-z]+$")]
    private static partial Regex MethodName();
}
