namespace FriendlyChaoyang.Chaos;

/// <summary>Prints what the run did and found; adds to <c>failures</c> whatever breaks the contract.</summary>
public static class Report
{
    public static void Faults(Observations observations, double workloadEnd, Action<string> log, List<string> failures)
    {
        var faults = observations.Faults.OrderBy(f => f.Start).ToList();
        var attempts = observations.Attempts.ToList();
        log("faults and what callers saw (HTTP attempts started from the fault until the next fault or the end):");
        log("  fault                                    503+RA  503-RA  5xx  timeout  conn  ok   failures-for  after-lifted  slowest-ok  readyz!=200");
        var before = attempts.Where(a => faults.Count == 0 || a.Start < faults[0].Start).ToList();
        log($"  before any fault: {before.Count} attempts, {before.Count(a => Observations.IsFailure(a.Outcome))} failed");
        for (var i = 0; i < faults.Count; i++)
        {
            var f = faults[i];
            var windowEnd = i + 1 < faults.Count ? faults[i + 1].Start : double.MaxValue;
            var window = attempts.Where(a => a.Start >= f.Start && a.Start < windowEnd).ToList();
            var failed = window.Where(a => Observations.IsFailure(a.Outcome)).ToList();
            var lastFailure = failed.Count == 0 ? f.Start : failed.Max(a => a.End);
            var ok = window.Where(a => !Observations.IsFailure(a.Outcome)).ToList();
            var slowest = ok.Count == 0 ? 0 : ok.Max(a => a.End - a.Start);
            var notReady = observations.Readiness.Where(r => r.At >= f.Start && r.At < windowEnd && r.Status != 200).ToList();
            var readyText = notReady.Count == 0 ? "none" : $"{notReady.Count} probes, t={notReady.Min(r => r.At):0}..{notReady.Max(r => r.At):0}s";
            log($"  t={f.Start,5:0.0}s {f.Name,-14} ({f.End - f.Start,4:0.0}s) " +
                $"{Count(window, AttemptOutcome.Unavailable503),7} {Count(window, AttemptOutcome.Unavailable503WithoutRetryAfter),7} " +
                $"{Count(window, AttemptOutcome.ServerError),4} {Count(window, AttemptOutcome.Timeout),8} {Count(window, AttemptOutcome.ConnectionError),5} " +
                $"{ok.Count,4}   {lastFailure - f.Start,9:0.0}s  {Math.Max(0, lastFailure - f.End),10:0.0}s  {slowest,9:0.0}s  {readyText}");
            log($"      {f.Detail}");
            var traces = observations.DuplicateTraces.Where(c => c.At >= f.Start && c.At < windowEnd).ToList();
            var exits = observations.SiloExits.Where(e => e.At >= f.Start && e.At < windowEnd).ToList();
            log($"      second activations: " + (traces.Count == 0 ? "no trace" : string.Join(", ", traces.GroupBy(c => (c.Kind, c.Silo)).Select(g => $"{g.Count()} {g.Key.Kind} ({g.Key.Silo})"))) +
                $"; silos that exited on their own: {(exits.Count == 0 ? "none" : string.Join(", ", exits.Select(e => $"{e.Silo} at t={e.At:0.0}s")))}");
            if (observations.Recoveries.TryGetValue(f.Start, out var recovery))
            {
                log($"      recovery: {recovery.Text}");
                if (!recovery.Rejoined)
                {
                    failures.Add($"after {f.Name} at t={f.Start:0.0}s: {recovery.Text}");
                }
            }
        }
        var serverErrors = attempts.Count(a => a.Outcome == AttemptOutcome.ServerError);
        var noRetryAfter = attempts.Count(a => a.Outcome == AttemptOutcome.Unavailable503WithoutRetryAfter);
        var timeouts = attempts.Count(a => a.Outcome == AttemptOutcome.Timeout);
        var connection = attempts.Count(a => a.Outcome == AttemptOutcome.ConnectionError);
        log($"totals: {attempts.Count} attempts, {Count(attempts, AttemptOutcome.Success)} 2xx, {Count(attempts, AttemptOutcome.ClientError)} 4xx, " +
            $"{Count(attempts, AttemptOutcome.Unavailable503)} 503 with Retry-After, {noRetryAfter} 503 without, {serverErrors} other 5xx, " +
            $"{timeouts} timeouts (> {ApiClient.RequestTimeout.TotalSeconds:0} s), {connection} connection errors");
        foreach (var hung in attempts.Where(a => a.Outcome == AttemptOutcome.Timeout).GroupBy(a => a.Op))
        {
            log($"  over {ApiClient.RequestTimeout.TotalSeconds:0} s on {hung.Key}: {hung.Count()}x, at t={string.Join(", ", hung.Select(a => a.Start.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)))}s");
        }
        foreach (var ((op, status), (count, first, sample)) in observations.ServerErrors.OrderBy(e => e.Key.Op, StringComparer.Ordinal))
        {
            log($"  HTTP {status} on {op}: {count}x, first at t={first:0.0}s: {sample}");
        }
        if (serverErrors > 0)
        {
            failures.Add($"{serverErrors} HTTP 5xx other than 503 (the API must answer 503 + Retry-After when the cluster or database is down)");
        }
        if (noRetryAfter > 0)
        {
            failures.Add($"{noRetryAfter} HTTP 503 without Retry-After");
        }
        if (timeouts > 0)
        {
            failures.Add($"{timeouts} requests hung longer than {ApiClient.RequestTimeout.TotalSeconds:0} s (past the API's response timeout)");
        }
        if (connection > 0)
        {
            failures.Add($"{connection} connection errors from the API process (it is never killed)");
        }
    }

    public static void Workload(WorldModel world, Observations observations, Action<string> log, List<string> failures)
    {
        log("operations (definitive answers by status; 0 = no definitive answer before the deadline):");
        foreach (var (op, answers) in world.Answers.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            log($"  {op,-18} " + string.Join("  ", answers.OrderBy(a => a.Key).Select(a => $"{a.Key}: {a.Value}")));
        }
        var issues = world.Issues.Values.ToList();
        var redemptions = world.Riders.Values.SelectMany(r => r.Redemptions).ToList();
        log($"  issues: {issues.Count} opened, {issues.Count(i => i.Status == "resolved")} resolved, {issues.Count(i => i.Status == "rejected")} rejected, " +
            $"{issues.Sum(i => i.CoReporters.Keys.Count(c => c != i.Reporter))} co-reports; redemptions: {redemptions.Count} held at some point, " +
            $"{redemptions.Count(r => r.State == "redeemed")} confirmed, {redemptions.Count(r => r.State == "released")} cancelled, {redemptions.Count(r => r.State == "held")} still held");
        log($"  riders at a station at the end (by the model): {world.Riders.Values.Count(r => r.Station is not null)}");
        foreach (var unresolved in world.Unresolved.GroupBy(u => u))
        {
            failures.Add($"never got a definitive answer: {unresolved.Key} x{unresolved.Count()}");
        }
        foreach (var anomaly in observations.Anomalies)
        {
            failures.Add("unexpected answer " + anomaly);
        }
    }

    public static void Invariants(IReadOnlyList<CheckResult> results, Action<string> log, List<string> failures)
    {
        log("invariants:");
        foreach (var r in results)
        {
            log($"  [{(r.Passed ? "PASS" : "FAIL")}] {r.Name} ({r.Checked} checked)");
            foreach (var v in r.Violations.Take(10))
            {
                log($"         {v}");
            }
            if (r.Violations.Count > 10)
            {
                log($"         ... and {r.Violations.Count - 10} more");
            }
            if (!r.Passed)
            {
                failures.Add($"invariant failed: {r.Name} ({r.Violations.Count} violation(s), first: {r.Violations[0]})");
            }
        }
    }

    private static int Count(IEnumerable<Attempt> attempts, AttemptOutcome outcome) => attempts.Count(a => a.Outcome == outcome);
}
