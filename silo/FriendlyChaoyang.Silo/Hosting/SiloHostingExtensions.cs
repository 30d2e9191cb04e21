using System.Net;
using FriendlyChaoyang.Activities;
using FriendlyChaoyang.Books;
using FriendlyChaoyang.Catalog;
using FriendlyChaoyang.Housing;
using FriendlyChaoyang.Commendations;
using FriendlyChaoyang.Courses;
using FriendlyChaoyang.Hosting;
using FriendlyChaoyang.Issues;
using FriendlyChaoyang.Persistence;
using FriendlyChaoyang.Points;
using FriendlyChaoyang.Ports;
using FriendlyChaoyang.Seeds;
using FriendlyChaoyang.Silo.Diagnostics;
using FriendlyChaoyang.Silo.Persistence;
using FriendlyChaoyang.Silo.Seeding;
using FriendlyChaoyang.Stations;
using FriendlyChaoyang.Wishes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;

namespace FriendlyChaoyang.Silo.Hosting;

public static class SiloHostingExtensions
{
    public const string AdoNetInvariant = "Npgsql";

    /// <summary>The Microsoft.Orleans.Persistence.AdoNet instance behind <see cref="StorageNames.Default"/>.</summary>
    private const string AdoNetStorageName = "AdoNet";

    /// <summary>The <see cref="BatchedGrainStorage"/> instance behind <see cref="StorageNames.Batched"/>.</summary>
    private const string BatchedPostgresStorageName = "BatchedPostgres";

    /// <summary>The <see cref="VolatileGrainStorage"/> behind both storage names when <c>Storage:InMemory</c> is true.</summary>
    private const string MemoryStorageName = "Memory";

    /// <summary>
    /// Everything a FriendlyChaoyang silo needs except its endpoints: PostgreSQL-backed membership, grain state and
    /// reminders, the catalogue, the dashboard's silo side, and the seed loader. The test cluster calls this too, so
    /// tests run the same wiring as production. <paramref name="inMemoryState"/> keeps grain state in silo memory
    /// instead of PostgreSQL: nothing survives a restart, so it exists only to measure the non-durable ceiling
    /// (bench/run.sh --storage memory).
    /// </summary>
    public static ISiloBuilder AddFriendlyChaoyang(this ISiloBuilder silo, string connectionString, bool inMemoryState = false)
    {
        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = AdoNetInvariant;
            o.ConnectionString = connectionString;
        });
        silo.AddAdoNetGrainStorage(AdoNetStorageName, o =>
        {
            o.Invariant = AdoNetInvariant;
            o.ConnectionString = connectionString;
        });
        // Orleans' own binary format instead of the default JSON-with-CLR-type-names: stored state is keyed by the
        // [Alias]/[Id] names we pin on state classes, so renaming a class or namespace never orphans a stored row.
        silo.Services.AddOptions<AdoNetGrainStorageOptions>(AdoNetStorageName)
            .Configure<Serializer>((options, serializer) => options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));
        silo.Services.AddGrainStorage(BatchedPostgresStorageName, (services, _) => new BatchedGrainStorage(
            connectionString,
            new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>()),
            services.GetRequiredService<IOptions<ClusterOptions>>(),
            services.GetRequiredService<ILogger<BatchedGrainStorage>>(),
            services.GetRequiredService<IConfiguration>().GetValue("Storage:Flushers", 2)));
        if (inMemoryState)
        {
            silo.Services.AddGrainStorage(MemoryStorageName, (services, _) =>
                new VolatileGrainStorage(new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>())));
        }
        // Grains use both providers through the one wrapper that turns any storage failure into a StorageUnavailableException.
        silo.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.Default, (services, _) => new FailureTranslatingStorage(
            inMemoryState
                ? services.GetRequiredKeyedService<IGrainStorage>(MemoryStorageName)
                : new SnapshotOnWriteStorage(services.GetRequiredKeyedService<IGrainStorage>(AdoNetStorageName), services.GetRequiredService<DeepCopier>()),
            services.GetRequiredService<ILogger<FailureTranslatingStorage>>()));
        silo.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.Batched, (services, _) => new FailureTranslatingStorage(
            services.GetRequiredKeyedService<IGrainStorage>(inMemoryState ? MemoryStorageName : BatchedPostgresStorageName),
            services.GetRequiredService<ILogger<FailureTranslatingStorage>>()));
        silo.Services.AddCachedGrainInterfaceTypes();
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = AdoNetInvariant;
            o.ConnectionString = connectionString;
        });
        silo.Services.AddOptions<StationOptions>().BindConfiguration(StationOptions.Section);
        silo.Services.AddOptions<IssueOptions>().BindConfiguration(IssueOptions.Section);
        silo.Services.AddOptions<PointsOptions>().BindConfiguration(PointsOptions.Section);
        silo.Services.AddOptions<ActivityOptions>().BindConfiguration(ActivityOptions.Section);
        silo.Services.AddOptions<BookOptions>().BindConfiguration(BookOptions.Section);
        silo.Services.AddOptions<HousingOptions>().BindConfiguration(HousingOptions.Section);
        silo.Services.AddOptions<CourseOptions>().BindConfiguration(CourseOptions.Section);
        silo.Services.AddOptions<WishOptions>().BindConfiguration(WishOptions.Section);
        silo.Services.AddOptions<CommendationOptions>().BindConfiguration(CommendationOptions.Section)
            .Validate(o => o.Points.AreValid, "Commendations:Points:* must be whole numbers from 0 to 10000.").ValidateOnStart();
        silo.Services.AddOptions<PortOptions>().BindConfiguration(PortOptions.Section);
        silo.AddIncomingGrainCallFilter<StorageFailureFilter>();
        silo.Services.AddSingleton(_ => new CatalogData(SeedData.IssueCategories, SeedData.Rewards, SeedData.Subdistricts));
        silo.Services.AddStationIndexCopy();
        // Opt-in (./run.sh turns it on): the dashboard reads every Orleans gauge once a second, and two of them walk all
        // activations and the whole directory cache; with the district's 101,000 riders active that is ~60 ms of CPU a
        // second in one burst, and at the lunch peak it tripled p99 (docs/benchmarks.md, the lunch peak's fifth look).
        if (ClusterDefaults.IsDashboardEnabled(silo.Configuration))
        {
            silo.AddDashboard();
        }
        silo.Services.AddSingleton(services => new SeedLoader(
            services.GetRequiredService<IGrainFactory>(), services.GetRequiredService<ILocalSiloDetails>().Name, services.GetRequiredService<ILogger<SeedLoader>>()));
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(services => services.GetRequiredService<SeedLoader>());
        return silo;
    }

    /// <summary>Production wiring: cluster identity, endpoints and failure detection from configuration.</summary>
    public static IHostApplicationBuilder AddFriendlyChaoyangSilo(this IHostApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var connectionString = config.GetConnectionString("Orleans")
            ?? throw new InvalidOperationException("ConnectionStrings:Orleans is not set (environment variable ConnectionStrings__Orleans).");

        builder.UseOrleans(silo =>
        {
            silo.AddFriendlyChaoyang(connectionString, inMemoryState: config.GetValue("Storage:InMemory", false));
            // Idle grains (a rider who went home) are deactivated after CollectionAge (Orleans' default 15 min), which
            // is what gives their memory back; Orleans:GrainCollection:CollectionAge / :CollectionQuantum override it.
            silo.Configure<GrainCollectionOptions>(config.GetSection("Orleans:GrainCollection"));
            silo.Services.AddOptions<RuntimeStatsOptions>().BindConfiguration(RuntimeStatsOptions.Section);
            silo.Services.AddHostedService<RuntimeStatsLogger>();
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = config["Orleans:ClusterId"] ?? ClusterDefaults.ClusterId;
                o.ServiceId = config["Orleans:ServiceId"] ?? ClusterDefaults.ServiceId;
            });
            var advertised = IPAddress.Parse(config["Orleans:AdvertisedIPAddress"] ?? "127.0.0.1");
            silo.ConfigureEndpoints(
                advertised,
                config.GetValue("Orleans:SiloPort", 11111),
                config.GetValue("Orleans:GatewayPort", 30000),
                listenOnAnyHostAddress: config.GetValue("Orleans:ListenOnAnyHostAddress", false));
            // Failure detection tuned for a cluster on one LAN: a killed silo is suspected after ~2 missed 2 s probes
            // and declared dead within ~5-10 s (defaults: 5 s x 3 probes). IAmAlive rows are refreshed every 10 s and
            // count as stale after 60 s: longer than a database outage we must ride out (30 s, when no silo can refresh
            // its row), far shorter than the defaults, so rows left by a crashed cluster age out quickly.
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = config.GetValue("Orleans:Membership:ProbeTimeout", TimeSpan.FromSeconds(2));
                o.NumMissedProbesLimit = config.GetValue("Orleans:Membership:NumMissedProbesLimit", 2);
                o.IAmAliveTablePublishTimeout = config.GetValue("Orleans:Membership:IAmAliveTablePublishTimeout", TimeSpan.FromSeconds(10));
                o.NumMissedTableIAmAliveLimit = config.GetValue("Orleans:Membership:NumMissedTableIAmAliveLimit", 6);
                o.DefunctSiloExpiration = config.GetValue("Orleans:Membership:DefunctSiloExpiration", TimeSpan.FromHours(1));
                // A silo cut off from the others hears of its own death only from the table: re-read it every 10 s
                // (default 60 s), so a silo the cluster declared dead stops within ~10 s instead of a minute.
                o.TableRefreshTimeout = config.GetValue("Orleans:Membership:TableRefreshTimeout", TimeSpan.FromSeconds(10));
            });
            silo.Configure<SiloOptions>(o => o.SiloName = config["Orleans:SiloName"] ?? $"silo-{Environment.MachineName}-{Environment.ProcessId}");
        });
        return builder;
    }
}
