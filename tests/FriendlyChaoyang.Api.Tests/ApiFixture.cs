using System.Net.Http.Headers;
using System.Net.Http.Json;
using FriendlyChaoyang.Api.Hosting;
using FriendlyChaoyang.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;

namespace FriendlyChaoyang.Api.Tests;

/// <summary>
/// The REST facade on an in-memory TestServer, as a client of its own 3-silo test cluster on a fresh PostgreSQL
/// database, with dev tokens on. Shared by every API test class through
/// <see cref="ApiCollection"/>. The app is built by <see cref="ApiApp.Build"/>, the same code Program.cs runs, so the
/// test configures it directly instead of through WebApplicationFactory. The test cluster listens on real sockets: the
/// API's Orleans client joins it through the PostgreSQL membership table.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public const string SigningKey = "friendly-chaoyang-api-tests-signing-key-48-chars";

    private WebApplication _app = null!;
    private TestServer _server = null!;

    public ClusterFixture Cluster { get; } = new() { Transport = ConnectionTransportType.TcpSocket, Dashboard = true };

    public IServiceProvider Services => _app.Services;

    public async Task InitializeAsync()
    {
        await Cluster.InitializeAsync();
        _app = await StartApiAsync();
        _server = _app.GetTestServer();
    }

    /// <summary>One more API instance on the same cluster and database, as a scaled-out deployment runs them.</summary>
    public async Task<WebApplication> StartApiAsync()
    {
        var app = ApiApp.Build(Arguments, builder =>
        {
            builder.Configuration.AddInMemoryCollection(Settings());
            builder.WebHost.UseTestServer();
        });
        await app.StartAsync();
        using var client = app.GetTestServer().CreateClient();
        await WaitUntilReadyAsync(client);
        return app;
    }

    /// <summary>Waits until the API's Orleans client has found a gateway and the database answers.</summary>
    public static async Task WaitUntilReadyAsync(HttpClient client)
    {
        for (var attempt = 0; ; attempt++)
        {
            var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
            if (response.IsSuccessStatusCode || attempt == 60)
            {
                return;
            }
            await Task.Delay(500);
        }
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await Cluster.DisposeAsync();
    }

    /// <summary>Development: the API refuses dev tokens in Production.</summary>
    public static string[] Arguments { get; } = ["--environment=Development"];

    /// <summary>The shared app's settings; rate limits far above what any test sends (Security tests build their own app with low ones).</summary>
    public Dictionary<string, string?> Settings()
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Orleans"] = Cluster.Database.ConnectionString,
            ["Orleans:ClusterId"] = Cluster.Cluster.Options.ClusterId,
            ["Orleans:ServiceId"] = Cluster.Cluster.Options.ServiceId,
            ["Auth:SigningKey"] = SigningKey,
            ["Auth:DevTokens"] = "true",
            // As the test silos: a station a test defines in a new cell is found within a second.
            ["Stations:OccupiedCellsCacheTime"] = "00:00:01",
            [ClusterDefaults.DashboardEnabled] = "true",
        };
        foreach (var limit in new[] { "Writes", "Reads", "Anonymous", "DevTokens", "Partner", "VoucherConfirms" })
        {
            settings[$"RateLimits:{limit}:PermitLimit"] = "1000000";
        }
        return settings;
    }

    /// <summary>An anonymous client.</summary>
    public HttpClient CreateClient() => _server.CreateClient();

    public HttpClient Anonymous() => CreateClient();

    /// <summary>A token from POST /api/v1/dev/tokens.</summary>
    public async Task<string> TokenAsync(string subject, string role, string? subdistrict = null, string? station = null)
    {
        using var client = CreateClient();
        var response = await client.PostAsJsonAsync("/api/v1/dev/tokens", new { subject, role, subdistrict, station });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<TokenBody>();
        return body!.Token;
    }

    /// <summary>A client that sends a bearer token for the subject, role and (for operators) subdistrict.</summary>
    public async Task<HttpClient> ClientForAsync(string subject, string role, string? subdistrict = null, string? station = null)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(subject, role, subdistrict, station));
        return client;
    }

    public Task<HttpClient> RiderAsync(string? riderId = null) => ClientForAsync(riderId ?? $"rider-{Guid.NewGuid():N}", "rider");

    public Task<HttpClient> OperatorAsync(string subdistrictId) => ClientForAsync($"op-{subdistrictId}", "operator", subdistrictId);

    /// <summary>A manager token for the station; it acts there only once appointed (see <see cref="AppointedManagerAsync"/>).</summary>
    public Task<HttpClient> ManagerAsync(string stationId) => ClientForAsync($"mgr-{stationId}", "manager", station: stationId);

    /// <summary>Makes <see cref="ManagerAsync"/>'s subject the station's community manager, as its subdistrict's operator.</summary>
    public async Task AppointAsync(string stationId)
    {
        using var op = await OperatorAsync(stationId.Split('-')[1]);
        var response = await op.PutAsJsonAsync($"/api/v1/stations/{stationId}/managers",
            new { community = new { subject = $"mgr-{stationId}", name = "Manager" } });
        response.EnsureSuccessStatusCode();
    }

    public async Task<HttpClient> AppointedManagerAsync(string stationId)
    {
        await AppointAsync(stationId);
        return await ManagerAsync(stationId);
    }

    public Task<long> StoredPhotoCountAsync() => Cluster.Database.ScalarAsync<long>("SELECT count(*) FROM photos");

    private sealed record TokenBody(string Token, DateTimeOffset ExpiresAt);
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}
