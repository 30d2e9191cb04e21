using System.Collections.Concurrent;
using System.Diagnostics;

namespace FriendlyChaoyang.Chaos;

public enum AttemptOutcome
{
    Success,
    ClientError,
    Unavailable503,
    Unavailable503WithoutRetryAfter,
    ServerError,
    Timeout,
    ConnectionError,
}

/// <summary>One HTTP attempt: when it started and ended (seconds since the workload began), what it was, how it ended.</summary>
public sealed record Attempt(string Op, double Start, double End, AttemptOutcome Outcome, int Status);

/// <summary>A fault as injected: [Start, End) in seconds since the workload began.</summary>
public sealed record FaultRecord(string Name, string Detail, double Start, double End);

/// <summary>Everything callers saw, with one clock shared by the workload and the fault injector.</summary>
public sealed class Observations
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentQueue<Attempt> _attempts = new();
    private readonly ConcurrentQueue<(double At, int Status)> _readiness = new();

    public double Now => _clock.Elapsed.TotalSeconds;

    public ConcurrentQueue<FaultRecord> Faults { get; } = new();

    public ConcurrentQueue<string> Anomalies { get; } = new();

    public IReadOnlyCollection<Attempt> Attempts => _attempts;

    public IReadOnlyCollection<(double At, int Status)> Readiness => _readiness;

    public void Record(Attempt attempt) => _attempts.Enqueue(attempt);

    public void RecordReadiness(double at, int status) => _readiness.Enqueue((at, status));

    /// <summary>5xx other than 503, by operation and status: count and the first body seen.</summary>
    public ConcurrentDictionary<(string Op, int Status), (int Count, double First, string Sample)> ServerErrors { get; } = new();

    public void ServerError(string op, int status, string body)
    {
        var at = Now;
        ServerErrors.AddOrUpdate((op, status), (1, at, body), (_, v) => (v.Count + 1, v.First, v.Sample));
    }

    /// <summary>When a silo exited on its own (declared dead by the cluster).</summary>
    public ConcurrentQueue<(double At, string Silo)> SiloExits { get; } = new();

    /// <summary>Traces of a second activation in the silos' logs (see <see cref="SystemUnderTest"/>): when, which silo, what.</summary>
    public ConcurrentQueue<(double At, string Silo, string Kind)> DuplicateTraces { get; } = new();

    /// <summary>By the fault's start: how the cluster recovered after a partition healed.</summary>
    public ConcurrentDictionary<double, (bool Rejoined, string Text)> Recoveries { get; } = new();

    public void SiloExited(string silo) => SiloExits.Enqueue((Now, silo));

    public void DuplicateTrace(string silo, string kind) => DuplicateTraces.Enqueue((Now, silo, kind));

    public void Anomaly(string text) => Anomalies.Enqueue($"[t={Now:0.0}s] {text}");

    public static bool IsFailure(AttemptOutcome o) => o is not (AttemptOutcome.Success or AttemptOutcome.ClientError);
}
