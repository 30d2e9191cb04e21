using System.Globalization;

namespace FriendlyChaoyang.Bench.Peak;

/// <summary>Options of the lunch-peak modes (bench/peak.sh passes them; every one has a default sized for the full run).</summary>
public sealed record PeakOptions(
    string Mode, string Api, string Target, IReadOnlyList<int> Rates, TimeSpan Warmup, TimeSpan Duration, TimeSpan Stay,
    int Riders, string TokenCache, string Results, bool PostgresBaseline, string? SiloLog, bool Morning)
{
    public static PeakOptions? Parse(string[] args)
    {
        string? Get(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }
        if (Get("--mode") is not { } mode)
        {
            return null;
        }
        double Seconds(string name, string fallback) => double.Parse(Get(name) ?? fallback, CultureInfo.InvariantCulture);
        return new PeakOptions(
            mode,
            Get("--api") ?? "http://127.0.0.1:5080",
            Get("--target") ?? "FriendlyChaoyang",
            [.. (Get("--rates") ?? "1000,2000,3000,5000,7500,10000,15000").Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture))],
            TimeSpan.FromSeconds(Seconds("--warmup", "5")),
            TimeSpan.FromSeconds(Seconds("--duration", "20")),
            TimeSpan.FromSeconds(Seconds("--stay", "10")),
            int.Parse(Get("--riders") ?? "101000", CultureInfo.InvariantCulture),
            Get("--token-cache") ?? Path.Combine(Path.GetTempPath(), "friendly-chaoyang-peak"),
            Get("--results") ?? "peak-results.jsonl",
            args.Contains("--postgres-baseline"),
            Get("--silo-log"),
            args.Contains("--morning"));
    }
}
