using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FriendlyChaoyang.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace FriendlyChaoyang.Tests;

/// <summary>
/// The REST facade in-process (WebApplicationFactory) as an Orleans client of a real 3-silo test cluster on PostgreSQL,
/// exactly as in production: it finds the silos' gateways through the membership table.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public const string SigningKey = "test-signing-key-0123456789-abcdefghijklmnopqrstuvwxyz";

    public ClusterFixture Cluster { get; } = new();

    public WebApplicationFactory<Program> Factory { get; private set; } = null!;

    public string BlobPath { get; } = Path.Combine(Path.GetTempPath(), $"fc-blobs-{Guid.NewGuid():N}");

    public async Task InitializeAsync()
    {
        await Cluster.InitializeAsync();
        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("ConnectionStrings:Orleans", Cluster.Database.ConnectionString);
            web.UseSetting("Orleans:ClusterId", Cluster.Cluster.Options.ClusterId);
            web.UseSetting("Orleans:ServiceId", Cluster.Cluster.Options.ServiceId);
            web.UseSetting("Auth:SigningKey", SigningKey);
            web.UseSetting("Auth:DevTokens", "true");
            web.UseSetting("Blobs:Path", BlobPath);
        });
        var client = Factory.CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await client.GetAsync("/readyz")).StatusCode != System.Net.HttpStatusCode.OK)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The API did not become ready.");
            }
            await Task.Delay(250);
        }
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Cluster.DisposeAsync();
        if (Directory.Exists(BlobPath))
        {
            Directory.Delete(BlobPath, recursive: true);
        }
    }

    public HttpClient Anonymous() => Factory.CreateClient();

    /// <summary>A client carrying a token from the development token endpoint.</summary>
    public async Task<HttpClient> ClientAsync(string subject, string role = "rider", string? subdistrict = null)
    {
        var client = Factory.CreateClient();
        var response = await client.PostAsJsonAsync("/api/v1/dev/tokens", new { subject, role, subdistrict });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public Task<HttpClient> RiderAsync(string? id = null) => ClientAsync(id ?? $"rider-{Guid.NewGuid():N}");
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}
