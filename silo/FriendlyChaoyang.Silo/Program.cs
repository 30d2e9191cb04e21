using FriendlyChaoyang.Silo.Database;
using FriendlyChaoyang.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FriendlyChaoyang.Silo;

// A named entry point (not top-level statements) so tests that load both the silo and the API see one 'Program'.
internal static class SiloProgram
{
    public static async Task Main(string[] args)
    {
        // appsettings.json sits beside the binary; scripts start the silo from elsewhere, so do not look in the working directory.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });

        // The schema must exist before Orleans' providers read their queries from it.
        using (var loggerFactory = LoggerFactory.Create(b => b.AddConsole()))
        {
            await DatabaseMigrator.MigrateAsync(
                builder.Configuration.GetConnectionString("Orleans") ?? throw new InvalidOperationException("ConnectionStrings:Orleans is not set."),
                loggerFactory.CreateLogger("FriendlyChaoyang.Migrations"));
        }

        builder.AddFriendlyChaoyangSilo();
        await builder.Build().RunAsync();
    }
}
