using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace FriendlyChaoyang.Bench.Peak;

/// <summary>
/// Memory and activation in one silo: with the 791 stations already active (the warm start), every rider opens the app
/// (GET /riders/me: its rider grain and its points ledger activate), 10,000 at a time; after each step the silo's own
/// "Runtime stats" log line (Diagnostics:RuntimeStatsPeriod) gives working set, GC heap, GC pause p99 and activations.
/// Then the riders go idle, and the silo deactivates them after its configured collection age.
/// </summary>
public static partial class MemoryProbe
{
    private const int Step = 10_000;

    public static async Task RunAsync(HttpClient http, PeakOptions options)
    {
        var log = options.SiloLog ?? throw new ArgumentException("--silo-log is required in memory mode");
        var tokens = await RiderTokens.LoadOrMintAsync(http, options.Api, options.Riders, options.TokenCache);
        var table = new StringBuilder();
        table.AppendLine("| riders active | silo working set MB | GC heap MB | per 10k riders: working set MB | per 10k riders: heap MB | GC pauses | GC pause p99 ms | GC pause max ms | activations |");
        table.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var idle = await StatsAsync(log);
        Row(table, 0, idle, idle);
        for (var done = 0; done < tokens.Length; done += Step)
        {
            var upTo = Math.Min(tokens.Length, done + Step);
            await RiderTokens.EachGetsAsync(http, $"{options.Api}/api/v1/riders/me", tokens[done..upTo]);
            var stats = await StatsAsync(log);
            Row(table, upTo, stats, idle);
            Console.Error.WriteLine($"{upTo} riders active: {stats}");
        }
        // Idle riders: wait for the collection age to pass (nearby searches meanwhile, so the GC has reason to run).
        var wait = Stopwatch();
        Stats after;
        do
        {
            using var _ = await http.GetAsync($"{options.Api}/api/v1/stations/nearby?lat=39.92&lon=116.46");
            await Task.Delay(200);
            after = await StatsAsync(log);
        }
        while (after.Riders > tokens.Length / 100 && wait.Elapsed < TimeSpan.FromMinutes(4));
        table.AppendLine(CultureInfo.InvariantCulture,
            $"| 0 (idle {wait.Elapsed.TotalSeconds:0} s: {after.Riders} rider grains left) | {after.WorkingSetMb} | {after.HeapMb} | | | {after.Pauses} | {after.P99Ms:0.00} | {after.MaxMs:0.00} | {after.Activations} |");
        Console.WriteLine(table.ToString());
    }

    private static System.Diagnostics.Stopwatch Stopwatch() => System.Diagnostics.Stopwatch.StartNew();

    private static void Row(StringBuilder table, int riders, Stats s, Stats idle)
    {
        string Per10k(int now, int before) => riders == 0 ? "" : ((now - before) * 10_000.0 / riders).ToString("0.0", CultureInfo.InvariantCulture);
        table.AppendLine(CultureInfo.InvariantCulture,
            $"| {riders} | {s.WorkingSetMb} | {s.HeapMb} | {Per10k(s.WorkingSetMb, idle.WorkingSetMb)} | {Per10k(s.HeapMb, idle.HeapMb)} | {s.Pauses} | {s.P99Ms:0.00} | {s.MaxMs:0.00} | {s.Activations} |");
    }

    public sealed record Stats(int WorkingSetMb, int HeapMb, int Pauses, double P99Ms, double MaxMs, int Activations, int Riders);

    /// <summary>The silo's next stats line (it logs one every period), so the figures are taken after the step.</summary>
    private static async Task<Stats> StatsAsync(string log)
    {
        var seen = Lines(log).Count;
        while (true)
        {
            await Task.Delay(500);
            var lines = Lines(log);
            if (lines.Count > seen)
            {
                var m = lines[^1];
                int I(string g) => int.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture);
                double D(string g) => double.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture);
                return new Stats(I("ws"), I("heap"), I("n"), D("p99"), D("max"), I("act"), I("riders"));
            }
        }
    }

    private static List<Match> Lines(string log)
    {
        using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return [.. StatsLine().Matches(reader.ReadToEnd()).Cast<Match>()];
    }

    [GeneratedRegex(@"Runtime stats: working set (?<ws>\d+) MB, GC heap (?<heap>\d+) MB, GC pauses (?<n>\d+) \(p50 [\d.]+ ms, p99 (?<p99>[\d.]+) ms, max (?<max>[\d.]+) ms\), activations (?<act>-?\d+), riders (?<riders>-?\d+)")]
    private static partial Regex StatsLine();
}
