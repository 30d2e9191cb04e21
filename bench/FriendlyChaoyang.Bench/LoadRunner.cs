using System.Diagnostics;
using System.Net;

namespace FriendlyChaoyang.Bench;

public sealed record LoadResult(long Ops, long Conflicts, long Errors, double Seconds, double P50Ms, double P99Ms)
{
    public double OpsPerSecond => Ops / Seconds;
}

/// <summary>Closed-loop load: each worker runs one step after another for a fixed time; latencies are per step.</summary>
public static class LoadRunner
{
    public static async Task<LoadResult> RunAsync(int concurrency, TimeSpan duration, Func<int, Random, Task<HttpStatusCode>> step)
    {
        var latencies = new List<double>[concurrency];
        long ops = 0, conflicts = 0, errors = 0;
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            var mine = latencies[worker] = new List<double>(4096);
            var random = new Random(worker);
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                var started = Stopwatch.GetTimestamp();
                HttpStatusCode status;
                try
                {
                    status = await step(worker, random);
                }
                catch (HttpRequestException)
                {
                    status = HttpStatusCode.ServiceUnavailable;
                }
                catch (TaskCanceledException)
                {
                    status = HttpStatusCode.GatewayTimeout;
                }
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (status == HttpStatusCode.Conflict)
                {
                    Interlocked.Increment(ref conflicts);
                }
                else if (status != HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref errors);
                }
                Interlocked.Increment(ref ops);
            }
        })));
        clock.Stop();
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new LoadResult(ops, conflicts, errors, clock.Elapsed.TotalSeconds, Percentile(all, 0.50), Percentile(all, 0.99));
    }

    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
}
