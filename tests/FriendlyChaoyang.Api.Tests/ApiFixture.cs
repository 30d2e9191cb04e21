using System.Net.Http.Headers;
using System.Net.Http.Json;
using FriendlyChaoyang.Api.Auth;
using FriendlyChaoyang.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace FriendlyChaoyang.Tests;

/// <summary>
/// The REST facade (WebApplicationFactory) as a client of its own 3-silo test cluster on a fresh PostgreSQL database,
/// with dev tokens on and a temporary blob folder. Shared by every API test class through <see cref="ApiCollection"/>.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public const string SigningKey = "friendly-chaoyang-api-tests-signing-key-48-chars";

    // The silo's Program is visible here too (through TestSupport), so the API's entry assembly is named by one of its types.
    private WebApplicationFactory<TokenIssuer> _factory = null!;

    public ClusterFixture Cluster { get; } = new();

    public string BlobPath { get; } = Path.Combine(Path.GetTempPath(), $"fc-blobs-{Guid.NewGuid():N}");

    public WebApplicationFactory<TokenIssuer> Factory => _factory;

    public async Task InitializeAsync()
    {
        await Cluster.InitializeAsync();
        Directory.CreateDirectory(BlobPath);
        _factory = new WebApplicationFactory<TokenIssuer>().WithWebHostBuilder(web =>
        {
            web.UseSetting("ConnectionStrings:Orleans", Cluster.Database.ConnectionString);
            web.UseSetting("Orleans:ClusterId", Cluster.Cluster.Options.ClusterId);
            web.UseSetting("Orleans:ServiceId", Cluster.Cluster.Options.ServiceId);
            web.UseSetting("Auth:SigningKey", SigningKey);
            web.UseSetting("Auth:DevTokens", "true");
            web.UseSetting("Blobs:Path", BlobPath);
        });
        // Wait until the API's Orleans client has found a gateway.
        using var client = _factory.CreateClient();
        for (var attempt = 0; ; attempt++)
        {
            var response = await client.GetAsync(new Uri("/api/v1/issue-categories", UriKind.Relative));
            if (response.IsSuccessStatusCode || attempt == 60)
            {
                break;
            }
            await Task.Delay(500);
        }
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await Cluster.DisposeAsync();
        try
        {
            Directory.Delete(BlobPath, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    /// <summary>An anonymous client.</summary>
    public HttpClient CreateClient() => _factory.CreateClient();

    /// <summary>A token from POST /api/v1/dev/tokens.</summary>
    public async Task<string> TokenAsync(string subject, string role, string? subdistrict = null)
    {
        using var client = CreateClient();
        var response = await client.PostAsJsonAsync("/api/v1/dev/tokens", new { subject, role, subdistrict });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<TokenBody>();
        return body!.Token;
    }

    /// <summary>A client that sends a bearer token for the subject, role and (for operators) subdistrict.</summary>
    public async Task<HttpClient> ClientForAsync(string subject, string role, string? subdistrict = null)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(subject, role, subdistrict));
        return client;
    }

    public Task<HttpClient> RiderAsync(string riderId) => ClientForAsync(riderId, "rider");

    public Task<HttpClient> OperatorAsync(string subdistrictId) => ClientForAsync($"op-{subdistrictId}", "operator", subdistrictId);

    public int StoredBlobCount() => Directory.Exists(BlobPath) ? Directory.GetFiles(BlobPath, "*", SearchOption.AllDirectories).Length : 0;

    private sealed record TokenBody(string Token, DateTimeOffset ExpiresAt);
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}
