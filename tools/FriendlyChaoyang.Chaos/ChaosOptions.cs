using System.Globalization;

namespace FriendlyChaoyang.Chaos;

/// <summary>Command line of the chaos suite. tools/chaos.sh starts PostgreSQL and passes its data dir and port.</summary>
public sealed record ChaosOptions(
    int Seed,
    TimeSpan Duration,
    int Silos,
    bool ShortRun,
    int Workers,
    int Riders,
    TimeSpan PgPause,
    TimeSpan HardTimeout,
    string Root,
    string RunDir,
    string PgData,
    int PgPort,
    int ApiPort,
    int SiloPortBase,
    int GatewayPortBase,
    HostNetwork? Hosts)
{
    public const string ClusterId = "chaos";

    /// <summary>PostgreSQL's address: its own host with --hosts, else 127.0.0.1.</summary>
    public string DbAddress => Hosts?.Address(HostNetwork.Db) ?? "127.0.0.1";

    public string ConnectionString => $"Host={DbAddress};Port={PgPort};Username=postgres;Database=fc_chaos;Timeout=5;Command Timeout=15";

    /// <summary>How logs and reports name silo <paramref name="index"/>: silo-0.. on 127.0.0.1, its host's name (silo-1..) with --hosts.</summary>
    public string SiloLabel(int index) => Hosts is null ? $"silo-{index}" : HostNetwork.Silo(index);

    public string ApiUrl => $"http://{Hosts?.Address(HostNetwork.Api) ?? "127.0.0.1"}:{ApiPort}";

    public static ChaosOptions Parse(string[] args)
    {
        string? Get(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }
        int Int(string name, int fallback) => Get(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

        var isShort = args.Contains("--short");
        var duration = TimeSpan.FromSeconds(Int("--duration", isShort ? 40 : 120));
        // --hosts N: N silos, each on its own host (network namespace) made by scripts/hosts.sh as instance --hosts-id.
        var hosts = Get("--hosts") is null ? null : new HostNetwork(Int("--hosts-id", 0), Get("--root") ?? "");
        var silos = Int("--hosts", Int("--silos", isShort ? 2 : 3));
        var pause = TimeSpan.FromSeconds(Int("--pg-pause", isShort ? 8 : 30));
        if (silos is < 1 or > 9)
        {
            throw new ArgumentException("--silos takes 1 to 9.");
        }
        if (duration < TimeSpan.FromSeconds(20) || duration > TimeSpan.FromMinutes(30))
        {
            throw new ArgumentException("--duration takes 20 to 1800 seconds.");
        }
        return new ChaosOptions(
            Seed: Int("--seed", 42),
            Duration: duration,
            Silos: silos,
            ShortRun: isShort,
            Workers: Int("--workers", isShort ? 8 : 16),
            Riders: Int("--riders", isShort ? 32 : 80),
            PgPause: pause,
            // Start-up + workload + settle + checks, with room; the shell wrapper has its own outer timeout too.
            HardTimeout: TimeSpan.FromSeconds(Int("--hard-timeout", (int)duration.TotalSeconds + 300)),
            Root: Get("--root") ?? throw new ArgumentException("--root is required (tools/chaos.sh passes it)."),
            RunDir: Get("--run-dir") ?? throw new ArgumentException("--run-dir is required."),
            PgData: Get("--pg-data") ?? throw new ArgumentException("--pg-data is required."),
            PgPort: Int("--pg-port", 0),
            ApiPort: Int("--api-port", 5180),
            SiloPortBase: Int("--silo-port", 11400),
            GatewayPortBase: Int("--gateway-port", 30400),
            Hosts: hosts);
    }
}
