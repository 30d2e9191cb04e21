using System.Diagnostics;
using System.Net;

namespace FriendlyChaoyang.Bench.Peak;

/// <summary>
/// Latencies of one rate's measured window. Open loop: a request's latency runs from when it was meant to be sent (its
/// place in the arrival schedule, or the moment the rider's previous answer came), not from when it was sent, so a
/// slow system cannot hide the queue it builds (no coordinated omission).
/// </summary>
public sealed class Recorder(long windowStart, long windowEnd)
{
    private readonly List<double> _latenciesMs = new(1 << 16);
    private readonly Dictionary<string, int> _errors = [];
    private long _conflicts;

    public void Add(long intended, HttpStatusCode status, bool expected, string what)
    {
        var latencyMs = Stopwatch.GetElapsedTime(intended).TotalMilliseconds;
        if (intended < windowStart || intended >= windowEnd)
        {
            return;
        }
        lock (_latenciesMs)
        {
            _latenciesMs.Add(latencyMs);
            if (!expected)
            {
                var key = $"{what} {(int)status}";
                _errors[key] = _errors.GetValueOrDefault(key) + 1;
            }
            else if (status == HttpStatusCode.Conflict)
            {
                _conflicts++;
            }
        }
    }

    public RateResult Result(string target, int offered, string invariants)
    {
        double[] sorted;
        lock (_latenciesMs)
        {
            sorted = [.. _latenciesMs.Order()];
        }
        double At(double p) => LoadRunner.Percentile(sorted, p);
        var seconds = Stopwatch.GetElapsedTime(windowStart, windowEnd).TotalSeconds;
        return new RateResult(target, offered, sorted.Length / seconds, At(0.50), At(0.99), At(0.999), sorted.Length, _conflicts,
            _errors.Values.Sum(), string.Join(", ", _errors.OrderByDescending(e => e.Value).Select(e => $"{e.Key} x{e.Value}")), invariants);
    }
}

public sealed record RateResult(
    string Target, int Offered, double Achieved, double P50Ms, double P99Ms, double P999Ms, long Requests, long Conflicts,
    long Errors, string ErrorKinds, string Invariants)
{
    /// <summary>The bar for a sustainable rate.</summary>
    public bool Sustainable => P99Ms < 100 && Errors == 0;
}
