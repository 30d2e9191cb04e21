namespace FriendlyChaoyang.Chaos;

public enum FaultKind
{
    SiloKill,
    PostgresFreeze,
    PostgresStop,
    ClusterRestart,
}

public sealed record PlannedFault(FaultKind Kind, double At, TimeSpan Length, int Silo);

/// <summary>Injects faults on a schedule drawn from the seed, and records when each began and ended.</summary>
public sealed class FaultInjector(SystemUnderTest system, Observations observations, Action<string> log)
{
    public static IReadOnlyList<PlannedFault> Plan(ChaosOptions options)
    {
        var random = new Random(options.Seed);
        var kinds = options.ShortRun
            ? new[] { FaultKind.SiloKill, FaultKind.PostgresFreeze }
            : new[] { FaultKind.SiloKill, FaultKind.PostgresFreeze, FaultKind.SiloKill, FaultKind.PostgresStop, FaultKind.ClusterRestart };
        var plan = new List<PlannedFault>();
        // Faults one after another, each followed by a quiet stretch so its recovery is measured on its own.
        var lengths = kinds.Select(k => k switch
        {
            FaultKind.SiloKill => TimeSpan.FromSeconds(random.Next(3, 7)),
            FaultKind.PostgresFreeze => options.PgPause,
            FaultKind.ClusterRestart => TimeSpan.FromSeconds(3),
            _ => TimeSpan.FromSeconds(Math.Max(5, options.PgPause.TotalSeconds / 2)),
        }).ToList();
        var busy = lengths.Sum(l => l.TotalSeconds);
        var quiet = (options.Duration.TotalSeconds - busy) / (kinds.Length + 1);
        if (quiet < 4)
        {
            throw new ArgumentException($"--duration {options.Duration.TotalSeconds:0} s is too short for {busy:0} s of faults.");
        }
        var at = 0.0;
        for (var i = 0; i < kinds.Length; i++)
        {
            at += quiet * (0.8 + (0.4 * random.NextDouble()));
            var silo = options.Silos > 1 ? random.Next(options.Silos) : 0;
            plan.Add(new PlannedFault(kinds[i], Math.Round(at, 1), lengths[i], silo));
            at += lengths[i].TotalSeconds;
        }
        return plan;
    }

    public async Task RunAsync(IReadOnlyList<PlannedFault> plan, double offset, CancellationToken cancellationToken)
    {
        foreach (var fault in plan)
        {
            var wait = offset + fault.At - observations.Now;
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(wait), cancellationToken);
            }
            var start = observations.Now;
            string detail;
            switch (fault.Kind)
            {
                case FaultKind.SiloKill:
                    var pid = system.KillSilo(fault.Silo);
                    log($"SIGKILL silo-{fault.Silo} (pid {pid}); restarting it in {fault.Length.TotalSeconds:0} s");
                    await Task.Delay(fault.Length, CancellationToken.None);
                    system.StartSilo(fault.Silo);
                    detail = $"silo-{fault.Silo} pid {pid} SIGKILL, restarted after {fault.Length.TotalSeconds:0} s";
                    break;
                case FaultKind.ClusterRestart:
                    // Every silo dies at once; their membership rows stay "active" until the new silos see them stale.
                    var pids = Enumerable.Range(0, system.SiloCount).Where(system.IsSiloRunning).Select(system.KillSilo).ToList();
                    log($"SIGKILL every silo ({string.Join(", ", pids)}); starting them all again in {fault.Length.TotalSeconds:0} s");
                    await Task.Delay(fault.Length, CancellationToken.None);
                    for (var i = 0; i < system.SiloCount; i++)
                    {
                        system.StartSilo(i);
                    }
                    detail = $"all {pids.Count} silos SIGKILL, all restarted after {fault.Length.TotalSeconds:0} s";
                    break;
                case FaultKind.PostgresFreeze:
                    var frozen = await system.FreezePostgresAsync();
                    log($"SIGSTOP PostgreSQL ({frozen} processes) for {fault.Length.TotalSeconds:0} s");
                    try
                    {
                        await Task.Delay(fault.Length, cancellationToken);
                    }
                    finally
                    {
                        await system.ThawPostgresAsync();
                    }
                    detail = $"postmaster + backends SIGSTOP for {fault.Length.TotalSeconds:0} s, then SIGCONT";
                    break;
                default:
                    await system.StopPostgresAsync();
                    log($"pg_ctl stop -m fast; starting it again in {fault.Length.TotalSeconds:0} s");
                    try
                    {
                        await Task.Delay(fault.Length, cancellationToken);
                    }
                    finally
                    {
                        await system.StartPostgresAsync();
                    }
                    detail = $"pg_ctl stop -m fast, pg_ctl start after {fault.Length.TotalSeconds:0} s";
                    break;
            }
            log($"fault over: {detail}");
            observations.Faults.Enqueue(new FaultRecord(fault.Kind.ToString(), detail, start - offset, observations.Now - offset));
        }
    }
}
