using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using FriendlyChaoyang.Seeds;

namespace FriendlyChaoyang.Bench.Peak;

/// <summary>The modes bench/peak.sh runs: peak (a rate ladder against one target), first, nearby, memory, table.</summary>
public static class PeakProgram
{
    public static async Task RunAsync(PeakOptions options)
    {
        using var http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 2048,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        })
        { Timeout = TimeSpan.FromSeconds(30) };
        switch (options.Mode)
        {
            case "peak":
                await LadderAsync(http, options);
                break;
            case "first":
                await FirstRequests.RunAsync(http, options);
                break;
            case "nearby":
                await NearbyProbe.RunAsync(options);
                break;
            case "memory":
                await MemoryProbe.RunAsync(http, options);
                break;
            case "table":
                Console.WriteLine(PeakTable.Markdown(options.Results));
                break;
            default:
                throw new ArgumentException($"unknown mode {options.Mode}");
        }
    }

    /// <summary>Climbs the offered rates until one breaks (p99 at or above 100 ms, or any error); each row goes to the results file.</summary>
    private static async Task LadderAsync(HttpClient http, PeakOptions options)
    {
        var tokens = await RiderTokens.LoadOrMintAsync(http, options.Api, options.Riders, options.TokenCache);
        var peak = new LunchPeak(http, options, tokens, options.PostgresBaseline);
        Func<Task<(long, long)>> scan = options.PostgresBaseline
            ? () => UntilAnsweredAsync(() => ScanBaselineAsync(http, options.Api))
            : () => UntilAnsweredAsync(() => ScanStationsAsync(http, options.Api));
        if (options.Morning)
        {
            var morning = await MorningAsync(http, options, tokens);
            Console.Error.WriteLine($"  {morning}");
            await PeakTable.AppendNoteAsync(options.Results, $"{options.Target}: {morning}");
        }
        foreach (var rate in options.Rates)
        {
            Console.Error.WriteLine($"{options.Target}: {rate} req/s offered, {options.Warmup.TotalSeconds:0} s warm-up + {options.Duration.TotalSeconds:0} s measured, stays of {options.Stay.TotalSeconds:0} s");
            var result = await peak.RunAsync(rate, scan);
            Console.Error.WriteLine(FormattableString.Invariant(
                $"  achieved {result.Achieved:0} req/s, p50 {result.P50Ms:0.0} ms, p99 {result.P99Ms:0.0} ms, p99.9 {result.P999Ms:0.0} ms, 409 {result.Conflicts}, errors {result.Errors} {result.ErrorKinds}; {result.Invariants}"));
            await PeakTable.AppendAsync(options.Results, result);
            if (!result.Sustainable)
            {
                break;
            }
        }
        if (!options.PostgresBaseline)
        {
            var points = await PointsCheck.RunAsync(http, options.Api, peak.Reports, tokens);
            Console.Error.WriteLine($"  {points}");
            await PeakTable.AppendNoteAsync(options.Results, $"{options.Target}: {points}");
        }
    }

    /// <summary>
    /// The morning before the peak: every rider opens the app once (FriendlyChaoyang: its profile, which activates its
    /// rider grain; the alternative: its points, its own rows). Riders at lunch have been out delivering all morning and
    /// Orleans keeps a grain 15 minutes after its last call, so at the peak they are warm; without this the ladder's
    /// figures depend on how many rungs came before (each rung wakes riders that earlier rungs had not: measured, a
    /// 6,000 req/s rung broke after 2 rungs and held after 7).
    /// </summary>
    private static async Task<string> MorningAsync(HttpClient http, PeakOptions options, string[] tokens)
    {
        var path = options.PostgresBaseline ? "/api/v1/riders/me/points" : "/api/v1/riders/me";
        var started = Stopwatch.GetTimestamp();
        await RiderTokens.EachGetsAsync(http, $"{options.Api}{path}", tokens);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return FormattableString.Invariant($"morning: {tokens.Length} riders opened the app (GET {path}) in {seconds:0.0} s, {tokens.Length / seconds:0} a second");
    }

    /// <summary>
    /// The invariant scans run right after a rate's window, when an overloaded target may still be digesting its backlog
    /// (the alternative at 5,000 req/s answered its own scan with a 500 and the run ended there): ask again, for up to a
    /// minute, before giving up on the run.
    /// </summary>
    private static async Task<T> UntilAnsweredAsync<T>(Func<Task<T>> scan)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await scan();
            }
            catch (Exception ex) when (attempt < 60 && ex is HttpRequestException or TaskCanceledException)
            {
                Console.Error.WriteLine($"  invariant scan failed ({ex.Message}); asking again in 1 s");
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
    }

    /// <summary>Every station's riders present against its seats: (riders present in all, stations above capacity).</summary>
    private static async Task<(long Present, long Overbooked)> ScanStationsAsync(HttpClient http, string api)
    {
        long present = 0, overbooked = 0;
        await Parallel.ForEachAsync(SeedData.Stations, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (s, ct) =>
        {
            var station = await http.GetFromJsonAsync<JsonElement>($"{api}/api/v1/stations/{s.Id}", ct);
            var here = station.GetProperty("present").GetInt32();
            Interlocked.Add(ref present, here);
            if (here > station.GetProperty("seats").GetProperty("total").GetInt32())
            {
                Interlocked.Increment(ref overbooked);
            }
        });
        return (present, overbooked);
    }

    /// <summary>The baseline's own check: rows inside, and stations whose free count is negative or disagrees with its rows.</summary>
    private static async Task<(long Present, long Overbooked)> ScanBaselineAsync(HttpClient http, string api)
    {
        var invariants = await http.GetFromJsonAsync<JsonElement>($"{api}/bench/invariants");
        return (invariants.GetProperty("inside").GetInt64(),
            invariants.GetProperty("overbooked").GetInt64() + invariants.GetProperty("mismatched").GetInt64());
    }

    public static string F(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
}
