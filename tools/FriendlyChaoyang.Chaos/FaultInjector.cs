namespace FriendlyChaoyang.Chaos;

public enum FaultKind
{
    SiloKill,
    PostgresFreeze,
    PostgresStop,
    ClusterRestart,

    /// <summary>--hosts: a silo cut off from the other silos (both directions), still reaching PostgreSQL and the API.</summary>
    SiloIsolated,

    /// <summary>--hosts: a silo cut off from PostgreSQL only.</summary>
    SiloDatabaseCut,

    /// <summary>--hosts: the API cut off from one silo (its gateway).</summary>
    ApiGatewayCut,

    /// <summary>--hosts: silo-1 can send to silo-2 but receives nothing from it.</summary>
    SiloAsymmetric,
}

public sealed record PlannedFault(FaultKind Kind, double At, TimeSpan Length, int Silo);

/// <summary>Injects faults on a schedule drawn from the seed, and records when each began and ended.</summary>
public sealed class FaultInjector(SystemUnderTest system, HostNetwork? hosts, Observations observations, Action<string> log)
{
    private readonly List<Task> _recoveries = [];

    public static IReadOnlyList<PlannedFault> Plan(ChaosOptions options)
    {
        var random = new Random(options.Seed);
        var kinds = (options.Hosts is not null, options.ShortRun) switch
        {
            (false, true) => new[] { FaultKind.SiloKill, FaultKind.PostgresFreeze },
            (false, false) => [FaultKind.SiloKill, FaultKind.PostgresFreeze, FaultKind.SiloKill, FaultKind.PostgresStop, FaultKind.ClusterRestart],
            (true, true) => [FaultKind.SiloKill, FaultKind.SiloIsolated, FaultKind.PostgresFreeze, FaultKind.SiloDatabaseCut, FaultKind.ApiGatewayCut, FaultKind.SiloAsymmetric],
            (true, false) =>
            [
                FaultKind.SiloKill, FaultKind.SiloIsolated, FaultKind.PostgresFreeze, FaultKind.SiloDatabaseCut, FaultKind.SiloKill,
                FaultKind.ApiGatewayCut, FaultKind.PostgresStop, FaultKind.SiloAsymmetric, FaultKind.ClusterRestart,
            ],
        };
        var scale = options.ShortRun ? 1.0 : 1.5;
        var plan = new List<PlannedFault>();
        // Faults one after another, each followed by a quiet stretch so its recovery is measured on its own.
        var lengths = kinds.Select(k => k switch
        {
            FaultKind.SiloKill => TimeSpan.FromSeconds(random.Next(3, 7)),
            FaultKind.PostgresFreeze => options.PgPause,
            FaultKind.ClusterRestart => TimeSpan.FromSeconds(3),
            // Longer than membership needs to vote a silo dead (2 missed 2 s probes, then the votes): ~10 s.
            FaultKind.SiloIsolated => TimeSpan.FromSeconds(25 * scale),
            FaultKind.SiloDatabaseCut or FaultKind.ApiGatewayCut => TimeSpan.FromSeconds(10 * scale),
            FaultKind.SiloAsymmetric => TimeSpan.FromSeconds(15 * scale),
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
                    log($"SIGKILL {system.SiloLabel(fault.Silo)} (pid {pid}); restarting it in {fault.Length.TotalSeconds:0} s");
                    await Task.Delay(fault.Length, CancellationToken.None);
                    system.StartSilo(fault.Silo);
                    detail = $"{system.SiloLabel(fault.Silo)} pid {pid} SIGKILL, restarted after {fault.Length.TotalSeconds:0} s";
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
                case FaultKind.SiloIsolated or FaultKind.SiloDatabaseCut or FaultKind.ApiGatewayCut or FaultKind.SiloAsymmetric:
                    detail = await PartitionAsync(fault, start, cancellationToken);
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
        await Task.WhenAll(_recoveries);
    }

    /// <summary>Cuts the links of the fault, heals them after its length, and follows the cluster's recovery in the background.</summary>
    private async Task<string> PartitionAsync(PlannedFault fault, double start, CancellationToken cancellationToken)
    {
        var network = hosts ?? throw new InvalidOperationException($"{fault.Kind} needs --hosts");
        var silo = HostNetwork.Silo(fault.Silo);
        var deadBefore = (await system.MembershipAsync(cancellationToken)).Dead;
        var (cuts, what) = fault.Kind switch
        {
            FaultKind.SiloIsolated => (
                Enumerable.Range(0, system.SiloCount).Where(i => i != fault.Silo).Select(i => (silo, HostNetwork.Silo(i), false)).ToList(),
                $"{silo} cut off from the other silos (both directions), still reaching PostgreSQL and the API"),
            FaultKind.SiloDatabaseCut => ([(silo, HostNetwork.Db, false)], $"{silo} cut off from PostgreSQL (both directions)"),
            FaultKind.ApiGatewayCut => ([(HostNetwork.Api, silo, false)], $"the API cut off from {silo}'s gateway (both directions)"),
            _ => ([(HostNetwork.Silo(1), HostNetwork.Silo(0), true)], $"{HostNetwork.Silo(0)} sends to {HostNetwork.Silo(1)} but receives nothing from it"),
        };
        foreach (var (from, to, oneWay) in cuts)
        {
            await network.CutAsync(from, to, oneWay);
        }
        log($"PARTITION: {what}, for {fault.Length.TotalSeconds:0} s");
        try
        {
            await Task.Delay(fault.Length, cancellationToken);
        }
        finally
        {
            await network.HealAsync();
        }
        var healed = observations.Now;
        _recoveries.Add(FollowRecoveryAsync(start, healed, deadBefore, cancellationToken));
        return $"{what} for {fault.Length.TotalSeconds:0} s, then healed";
    }

    /// <summary>Records how long after the heal every silo was active in the membership table again, and who was declared dead.</summary>
    private async Task FollowRecoveryAsync(double start, double healed, int deadBefore, CancellationToken cancellationToken)
    {
        var recovery = (Rejoined: false, Text: "not every silo active again within 90 s of the heal");
        while (observations.Now < healed + 90 && !cancellationToken.IsCancellationRequested)
        {
            try
            {
                var (active, dead) = await system.MembershipAsync(cancellationToken);
                if (active == system.SiloCount && Enumerable.Range(0, system.SiloCount).All(system.IsSiloRunning))
                {
                    var restarts = observations.SiloExits.Count(e => e.At >= start);
                    recovery = (true, $"all {active} silos active {observations.Now - healed:0.0} s after the heal; {dead - deadBefore} silo(s) declared dead, {restarts} restart(s) by the supervisor");
                    break;
                }
                await Task.Delay(500, cancellationToken);
            }
            catch (Npgsql.NpgsqlException)
            {
                await Task.Delay(500, CancellationToken.None); // the next fault may have paused the database
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        observations.Recoveries[start] = recovery;
    }
}
