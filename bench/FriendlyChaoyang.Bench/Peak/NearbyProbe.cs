using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace FriendlyChaoyang.Bench.Peak;

/// <summary>
/// The nearby bar: first the bare HTTP -> grain rate of this machine (a closed loop of 64 on GET /issue-categories: one
/// grain call that only returns memory), then nearby searches open loop at lunch positions at a quarter, half (the bar:
/// p99 under 10 ms there) and three quarters of that rate, stopping after the first rate whose p99 reaches 100 ms or
/// that has errors: an overloaded open loop leaves a backlog that would only measure itself.
/// </summary>
public static class NearbyProbe
{
    private const int Senders = 2;

    /// <summary>
    /// The searches go over a fixed set of connections opened before measuring, as phones keep theirs: a client that
    /// opens connections whenever answers slow down turned every hiccup of 30 ms or more into a storm of hundreds of
    /// connects (the API's listen queue overflowed, SYNs were retried) and a 150-200 ms stall of every search
    /// (measured). With a fixed set, a search that finds every connection busy waits for one, and that wait still
    /// counts: latency runs from the schedule.
    /// </summary>
    private const int Connections = 256;

    public static async Task RunAsync(PeakOptions options)
    {
        using var http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = Connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        })
        { Timeout = TimeSpan.FromSeconds(30) };
        await Task.WhenAll(Enumerable.Range(0, Connections).Select(async _ =>
        {
            using var response = await http.GetAsync($"{options.Api}/healthz");
        }));
        var bare = await LoadRunner.RunAsync(64, options.Duration, async (_, _) =>
        {
            using var response = await http.GetAsync($"{options.Api}/api/v1/issue-categories");
            await response.Content.LoadIntoBufferAsync();
            return response.StatusCode;
        });
        Console.WriteLine(FormattableString.Invariant(
            $"nearby ({options.Target}): bare HTTP -> grain {bare.OpsPerSecond:0} req/s (closed loop of 64, p50 {bare.P50Ms:0.0} ms); nearby open loop (3 km, 10 results, need=seat):"));
        foreach (var share in (double[])[0.25, 0.5, 0.75])
        {
            var (result, lateness) = await SearchAtAsync(http, options, (int)(bare.OpsPerSecond * share));
            var bar = share == 0.5 ? (result.P99Ms < 10 && result.Errors == 0 ? " (the bar, p99 < 10 ms: met)" : " (the bar, p99 < 10 ms: not met)") : "";
            Console.WriteLine(FormattableString.Invariant(
                $"  {share:P0} of bare, {result.Offered} req/s offered: achieved {result.Achieved:0}, p50 {result.P50Ms:0.0} ms, p99 {result.P99Ms:0.0} ms, p99.9 {result.P999Ms:0.0} ms, errors {result.Errors}{bar}; sent late by the generator: p50 {lateness.P50Ms:0.0} ms, p99 {lateness.P99Ms:0.0} ms"));
            if (!result.Sustainable)
            {
                break;
            }
        }
    }

    private static async Task<(RateResult Latency, RateResult Lateness)> SearchAtAsync(HttpClient http, PeakOptions options, int rate)
    {
        var start = Stopwatch.GetTimestamp();
        var windowStart = start + (long)(options.Warmup.TotalSeconds * Stopwatch.Frequency);
        var windowEnd = windowStart + (long)(options.Duration.TotalSeconds * Stopwatch.Frequency);
        var recorder = new Recorder(windowStart, windowEnd);
        var lateness = new Recorder(windowStart, windowEnd);
        // Dedicated threads send each search themselves when it is due (up to its first await), instead of queueing it on
        // the thread pool behind the answers being read: queued there, searches left up to 6 ms late at p99 (measured),
        // which counted against the system in every latency below. Two of them, each every other slot of the schedule,
        // so one thread's sending never holds up the next slot.
        var senders = Enumerable.Range(0, Senders).Select(sender => Task.Factory.StartNew(() =>
        {
            var map = new LunchMap();
            var inFlight = new List<Task>();
            for (long slot = sender; ; slot += Senders)
            {
                var intended = start + (long)((slot + 1.0) / rate * Stopwatch.Frequency);
                if (intended >= windowEnd)
                {
                    return Task.WhenAll(inFlight);
                }
                while (Stopwatch.GetTimestamp() < intended)
                {
                    Thread.Sleep(1);
                }
                var (lat, lon) = map.Sample(Random.Shared);
                inFlight.Add(SearchAsync(http, options.Api, lat, lon, intended, recorder, lateness));
            }
        }, TaskCreationOptions.LongRunning).Unwrap()).ToList();
        await Task.WhenAll(senders);
        return (recorder.Result(options.Target, rate, ""), lateness.Result(options.Target, rate, ""));
    }

    private static async Task SearchAsync(HttpClient http, string api, double lat, double lon, long intended, Recorder recorder, Recorder lateness)
    {
        lateness.Add(intended, HttpStatusCode.OK, true, "send");
        HttpStatusCode status;
        try
        {
            using var response = await http.GetAsync(string.Create(CultureInfo.InvariantCulture,
                $"{api}/api/v1/stations/nearby?lat={lat:F6}&lon={lon:F6}&radius=3000&limit=10&need=seat"));
            await response.Content.LoadIntoBufferAsync();
            status = response.StatusCode;
        }
        catch (HttpRequestException)
        {
            status = HttpStatusCode.ServiceUnavailable;
        }
        catch (TaskCanceledException)
        {
            // No answer within the client's timeout: an error of this rate, as in the lunch peak, not the end of the run.
            status = HttpStatusCode.GatewayTimeout;
        }
        recorder.Add(intended, status, status == HttpStatusCode.OK, "nearby");
    }
}
