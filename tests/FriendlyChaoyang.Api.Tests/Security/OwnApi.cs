using System.Net;
using FriendlyChaoyang.Api.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;

namespace FriendlyChaoyang.Api.Tests.Security;

/// <summary>
/// An API instance of one test's own, on the shared test cluster: the shared app's settings overridden by the test's
/// (low limits, short caches), plus routes the test maps. Tokens from the shared app work here (same signing key).
/// </summary>
public sealed class OwnApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TestServer _server;

    private OwnApi(WebApplication app)
    {
        _app = app;
        _server = app.GetTestServer();
    }

    public static async Task<OwnApi> StartAsync(ApiFixture api, Dictionary<string, string?> settings, Action<WebApplication>? map = null)
    {
        var app = ApiApp.Build(ApiFixture.Arguments, builder =>
        {
            builder.Configuration.AddInMemoryCollection(api.Settings()).AddInMemoryCollection(settings);
            builder.WebHost.UseTestServer();
        });
        map?.Invoke(app);
        await app.StartAsync();
        var own = new OwnApi(app);
        using var client = own.Client();
        await ApiFixture.WaitUntilReadyAsync(client);
        return own;
    }

    /// <summary>A client whose requests come from <paramref name="address"/> (default 192.0.2.1).</summary>
    public HttpClient Client(string address = "192.0.2.1", string? token = null)
    {
        var ip = IPAddress.Parse(address);
        var client = new HttpClient(_server.CreateHandler(http => http.Connection.RemoteIpAddress = ip)) { BaseAddress = _server.BaseAddress };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        }
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
