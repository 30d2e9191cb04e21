using System.Net;

namespace FriendlyChaoyang.Api.Tests.Security;

/// <summary>The Orleans dashboard lists rider and issue ids and streams the API's logs; /metrics shows hosts: admins only.</summary>
[Collection(ApiCollection.Name)]
public sealed class ManagementEndpointsTests(ApiFixture api)
{
    [Theory]
    [InlineData("/dashboard/", null, HttpStatusCode.Unauthorized)]
    [InlineData("/dashboard/", "rider", HttpStatusCode.Forbidden)]
    [InlineData("/dashboard/", "operator", HttpStatusCode.Forbidden)]
    [InlineData("/dashboard/", "admin", HttpStatusCode.OK)]
    [InlineData("/dashboard/DashboardCounters", null, HttpStatusCode.Unauthorized)]
    [InlineData("/dashboard/DashboardCounters", "rider", HttpStatusCode.Forbidden)]
    [InlineData("/dashboard/DashboardCounters", "admin", HttpStatusCode.OK)]
    [InlineData("/metrics", null, HttpStatusCode.Unauthorized)]
    [InlineData("/metrics", "rider", HttpStatusCode.Forbidden)]
    [InlineData("/metrics", "operator", HttpStatusCode.Forbidden)]
    [InlineData("/metrics", "admin", HttpStatusCode.OK)]
    public async Task OnlyAnAdminReachesTheDashboardAndMetrics(string path, string? role, HttpStatusCode expected)
    {
        using var client = await api.ClientAsAsync(role);

        Assert.Equal(expected, (await client.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task WithoutTheDashboardSwitchAnApiServesNoDashboardButStillItsMetrics()
    {
        await using var own = await OwnApi.StartAsync(api, new() { [ClusterDefaults.DashboardEnabled] = null });
        using var admin = own.Client(token: await api.TokenAsync($"admin-{Guid.NewGuid():N}", "admin"));

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/dashboard/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/metrics")).StatusCode);
    }
}
