using FriendlyChaoyang.Api.Hosting;
using Microsoft.Extensions.Configuration;

namespace FriendlyChaoyang.Api.Tests.Security;

public sealed class StartupChecksTests
{
    [Fact]
    public void TheApiRefusesToStartWithDevTokensInProduction()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build("Production", devTokens: true));

        Assert.Contains("Auth:DevTokens", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Production", false)]
    [InlineData("Development", true)]
    public async Task TheApiBuildsWithDevTokensOffOrOutsideProduction(string environment, bool devTokens)
    {
        await using var app = Build(environment, devTokens);
    }

    [Fact]
    public void TheApiRefusesToStartWithARateLimitTheLimiterCannotEnforce()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            Build("Development", devTokens: false, new() { ["RateLimits:Writes:PermitLimit"] = "0" }));

        Assert.Contains("RateLimits:Writes", error.Message, StringComparison.Ordinal);
    }

    private static Microsoft.AspNetCore.Builder.WebApplication Build(string environment, bool devTokens, Dictionary<string, string?>? more = null) =>
        ApiApp.Build([$"--environment={environment}"], builder => builder.Configuration
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Orleans"] = "Host=127.0.0.1;Port=1;Database=unused",
                ["Auth:SigningKey"] = ApiFixture.SigningKey,
                ["Auth:DevTokens"] = devTokens ? "true" : "false",
            })
            .AddInMemoryCollection(more ?? []));
}
