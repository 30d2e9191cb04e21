using FriendlyChaoyang.Api.Auth;
using FriendlyChaoyang.Api.Errors;
using FriendlyChaoyang.Api.Health;
using FriendlyChaoyang.Api.OpenApi;
using FriendlyChaoyang.Api.Security;
using FriendlyChaoyang.Api.Validation;
using FriendlyChaoyang.Hosting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Json;
using Orleans.Configuration;
using Orleans.Dashboard;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Scalar.AspNetCore;

namespace FriendlyChaoyang.Api.Hosting;

public static class ApiHostingExtensions
{
    public static WebApplicationBuilder AddFriendlyChaoyangApi(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var connectionString = config.GetConnectionString("Orleans")
            ?? throw new InvalidOperationException("ConnectionStrings:Orleans is not set (environment variable ConnectionStrings__Orleans).");

        // Start Kestrel while the Orleans client is still looking for a gateway, so /healthz and /readyz answer.
        builder.Services.Configure<HostOptions>(o => o.ServicesStartConcurrently = true);
        builder.UseOrleansClient(client =>
        {
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = connectionString;
            });
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = config["Orleans:ClusterId"] ?? ClusterDefaults.ClusterId;
                o.ServiceId = config["Orleans:ServiceId"] ?? ClusterDefaults.ServiceId;
            });
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = config.GetValue("Orleans:ResponseTimeout", TimeSpan.FromSeconds(10)));
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = config.GetValue("Orleans:GatewayListRefreshPeriod", TimeSpan.FromSeconds(5)));
            client.Services.AddCachedGrainInterfaceTypes();
            client.UseConnectionRetryFilter(async (_, cancellationToken) =>
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                return true;
            });
            if (ClusterDefaults.IsDashboardEnabled(config))
            {
                client.AddDashboard();
            }
        });

        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ErrorFieldNames.UseWireNames);
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        // Report unreadable bodies and unbindable parameters through the exception handler, which names the problem.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        // DataAnnotations on request records and [AsParameters] queries answer a 400 ValidationProblem before the handler runs.
        builder.Services.AddValidation();
        builder.Services.Configure<JsonOptions>(o => WireJson.Configure(o.SerializerOptions));

        builder.AddFriendlyChaoyangSecurity();
        builder.Services.AddFriendlyChaoyangOpenApi();
        builder.Services.AddHealthChecks()
            .AddCheck<ClusterHealthCheck>("cluster", tags: ["ready"])
            // Its own short connect and command timeouts: the check's timeout does not cut a hanging connect short.
            .AddNpgSql(
                new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Timeout = 3, CommandTimeout = 3, Pooling = false }.ConnectionString,
                name: "postgresql", tags: ["ready"], timeout: TimeSpan.FromSeconds(3));
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("friendly-chaoyang-api"))
            .WithMetrics(metrics => metrics
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()
            .AddMeter("Microsoft.Orleans")
            .AddPrometheusExporter());
        return builder;
    }

    public static WebApplication MapFriendlyChaoyangInfrastructure(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseFriendlyChaoyangSecurity();

        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        app.MapOpenApi();
        app.MapScalarApiReference("/docs");
        app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(Policies.Admin);
        if (ClusterDefaults.IsDashboardEnabled(app.Configuration))
        {
            app.MapOrleansDashboard(routePrefix: "/dashboard").RequireAuthorization(Policies.Admin).ExcludeFromDescription();
        }

        if (app.Services.GetRequiredService<AuthOptions>().DevTokens)
        {
            app.MapDevTokensApi();
        }
        return app;
    }
}
