using FriendlyChaoyang.Activities;
using FriendlyChaoyang.Books;
using FriendlyChaoyang.Housing;
using FriendlyChaoyang.Commendations;
using FriendlyChaoyang.Courses;
using FriendlyChaoyang.Silo.Hosting;
using FriendlyChaoyang.Issues;
using FriendlyChaoyang.Persistence;
using FriendlyChaoyang.Points;
using FriendlyChaoyang.Ports;
using FriendlyChaoyang.Stations;
using FriendlyChaoyang.Wishes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Storage;
using Orleans.TestingHost;
using Xunit;

namespace FriendlyChaoyang.Testing;

/// <summary>
/// A 3-silo Orleans test cluster wired exactly like production (PostgreSQL membership, state and reminders, seeds),
/// on its own fresh database. Failure detection is tightened so a killed silo is declared dead in seconds.
/// </summary>
public class ClusterFixture : IAsyncLifetime
{
    public const short SiloCount = 3;

    /// <summary>The issue category whose response target the test cluster shortens to <see cref="ShortResponseTarget"/>.</summary>
    public const string ShortResponseCategory = "streetlight_out";

    public static readonly TimeSpan ShortResponseTarget = TimeSpan.FromSeconds(2);

    /// <summary>The resolve target of <see cref="ShortResponseCategory"/> on the test cluster, so escalation comes within seconds.</summary>
    public static readonly TimeSpan ShortResolveTarget = TimeSpan.FromSeconds(4);

    /// <summary>How long a freed activity seat is held for the next rider in line on the test cluster (2 h in production).</summary>
    public static readonly TimeSpan ActivityOfferTtl = TimeSpan.FromSeconds(8);

    /// <summary>How long the test cluster lends a book, so the overdue notice comes within seconds.</summary>
    public static readonly TimeSpan LoanPeriod = TimeSpan.FromSeconds(4);

    /// <summary>How long a port's report counts as current on the test cluster (3 min in production).</summary>
    public static readonly TimeSpan PortStaleAfter = TimeSpan.FromSeconds(4);

    /// <summary>How long a port reservation holds on the test cluster (10 min in production).</summary>
    public static readonly TimeSpan PortReservationTtl = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a free bed is held for the first rider in line on the test cluster (48 h in production): long enough for a
    /// killed silo to be replaced between offer and accept.
    /// </summary>
    public static readonly TimeSpan HousingOfferTtl = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Overrides the test cluster's transport (in-memory by default). A client in another host, such as the REST facade in
    /// the API tests, can only reach the silos over real sockets.
    /// </summary>
    public ConnectionTransportType? Transport { get; init; }

    /// <summary>Runs the Orleans dashboard in the silos (off by default, as in production), for an API that serves its pages.</summary>
    public bool Dashboard { get; init; }

    public TestDatabase Database { get; private set; } = null!;

    public TestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        var builder = new TestClusterBuilder(SiloCount);
        builder.Options.UseTestClusterMembership = false;
        if (Transport is { } transport)
        {
            builder.Options.ConnectionTransport = transport;
        }
        builder.Properties["ConnectionStrings:Orleans"] = Database.ConnectionString;
        builder.Properties[ClusterDefaults.DashboardEnabled] = Dashboard ? "true" : "false";
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    /// <summary>The silo that hosts the activation of a grain that was called.</summary>
    public async Task<SiloAddress> HostOfAsync(IGrain grain)
    {
        var management = Client.GetGrain<IManagementGrain>(0);
        var host = await Eventually.ReadAsync<SiloAddress?>(() => management.GetActivationAddress(grain).AsTask(), address => address is not null, seconds: 5);
        return host ?? throw new InvalidOperationException($"{grain.GetGrainId()} has no activation.");
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        await Database.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddFriendlyChaoyang(siloBuilder.Configuration.GetConnectionString("Orleans")!);
            // Grains' storage goes through WriteFaults, so a test can fail one chosen write.
            foreach (var name in new[] { StorageNames.Default, StorageNames.Batched })
            {
                var production = siloBuilder.Services.Last(d => d.ServiceType == typeof(IGrainStorage) && Equals(d.ServiceKey, name));
                siloBuilder.Services.Remove(production);
                siloBuilder.Services.AddKeyedSingleton<IGrainStorage>(name,
                    (services, key) => new WriteFaults((IGrainStorage)production.KeyedImplementationFactory!(services, key)));
            }
            siloBuilder.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
                o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
            });
            siloBuilder.Configure<StationOptions>(o =>
            {
                o.CheckInTtl = TimeSpan.FromSeconds(6);
                o.ExpirySweepPeriod = TimeSpan.FromSeconds(2);
                o.RepublishPeriod = TimeSpan.FromSeconds(5);
                o.ReconcileAfter = TimeSpan.Zero;
            });
            // Short, so a station a test defines in a new cell is found within a second.
            siloBuilder.Configure<StationIndexOptions>(o => o.OccupiedCellsCacheTime = TimeSpan.FromSeconds(1));
            siloBuilder.Configure<IssueOptions>(o =>
            {
                o.TickPeriod = TimeSpan.FromSeconds(1);
                o.DeliveryTimeout = TimeSpan.FromSeconds(3);
                // Only this category runs on a short clock, so the response-clock tests need not wait ten minutes.
                o.ResponseTargets[ShortResponseCategory] = ShortResponseTarget;
                o.ResolveTargets[ShortResponseCategory] = ShortResolveTarget;
            });
            siloBuilder.Configure<PointsOptions>(o => o.HoldSweepPeriod = TimeSpan.FromSeconds(1));
            siloBuilder.Configure<ActivityOptions>(o =>
            {
                o.TickPeriod = TimeSpan.FromSeconds(1);
                o.OfferTtl = ActivityOfferTtl;
            });
            siloBuilder.Configure<BookOptions>(o =>
            {
                o.LoanPeriod = LoanPeriod;
                o.TickPeriod = TimeSpan.FromSeconds(1);
                o.DeliveryTimeout = TimeSpan.FromSeconds(3);
            });
            siloBuilder.Configure<HousingOptions>(o =>
            {
                o.OfferTtl = HousingOfferTtl;
                o.TickPeriod = TimeSpan.FromSeconds(1);
                o.DeliveryTimeout = TimeSpan.FromSeconds(3);
            });
            siloBuilder.Configure<CourseOptions>(o => o.TickPeriod = TimeSpan.FromSeconds(1));
            siloBuilder.Configure<WishOptions>(o => o.TickPeriod = TimeSpan.FromSeconds(1));
            siloBuilder.Configure<CommendationOptions>(o => o.TickPeriod = TimeSpan.FromSeconds(1));
            siloBuilder.Configure<PortOptions>(o =>
            {
                o.StaleAfter = PortStaleAfter;
                o.ReservationTtl = PortReservationTtl;
                o.ReservationSweepPeriod = TimeSpan.FromSeconds(1);
                o.RefreshPeriod = TimeSpan.FromMilliseconds(500);
                o.SnapshotPeriod = TimeSpan.FromSeconds(2);
            });
            siloBuilder.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder)
        {
            clientBuilder.UseAdoNetClustering(o =>
            {
                o.Invariant = SiloHostingExtensions.AdoNetInvariant;
                o.ConnectionString = configuration.GetConnectionString("Orleans");
            });
            clientBuilder.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(1));
            clientBuilder.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(15));
        }
    }
}
