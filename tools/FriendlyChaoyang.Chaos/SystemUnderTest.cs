using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace FriendlyChaoyang.Chaos;

/// <summary>
/// The processes this suite starts (silos and the API) and the PostgreSQL it may pause. Every PID it starts is appended
/// to run-dir/pids so the shell wrapper can stop them even if this process dies; it never signals anything else.
/// With --hosts every process runs on its own host (network namespace) and advertises that host's address.
/// A silo that exits on its own (Orleans stops a silo the cluster declared dead) is started again after 2 s: the
/// supervisor a real host has (systemd's Restart=always, a container's restart policy).
/// </summary>
public sealed class SystemUnderTest(ChaosOptions options, Action<string> log) : IAsyncDisposable
{
    private static readonly TimeSpan SupervisorDelay = TimeSpan.FromSeconds(2);

    private readonly Process?[] _silos = new Process?[options.Silos];
    private readonly Lock _gate = new();
    private readonly string _signingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
    private Process? _api;
    private List<int> _frozen = [];
    private bool _stopping;

    private string LogDir => Path.Combine(options.RunDir, "logs");

    public int SiloCount => _silos.Length;

    /// <summary>Where silo exits and traces of second activations are recorded, once the workload's clock runs.</summary>
    public Observations? Watch { get; set; }

    public string SiloLabel(int index) => options.SiloLabel(index);

    public bool IsSiloRunning(int index) => _silos[index] is { HasExited: false };

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(LogDir);
        // The first silo migrates the schema; start it alone so two silos do not race to create it.
        StartSilo(0);
        await WaitForMembershipAsync(1, cancellationToken, failOnExit: true);
        for (var i = 1; i < _silos.Length; i++)
        {
            StartSilo(i);
        }
        _api = Start("api", HostNetwork.Api, Path.Combine(options.Root, "client-api/FriendlyChaoyang.Api/bin/Release/net10.0/FriendlyChaoyang.Api.dll"),
            new Dictionary<string, string>
            {
                ["Auth__SigningKey"] = _signingKey,
                ["Auth__DevTokens"] = "true",
                ["ASPNETCORE_ENVIRONMENT"] = "Development", // dev tokens are refused in Production
                ["RateLimits__Enabled"] = "false", // every simulated rider comes from one address
            },
            "--contentRoot", Path.Combine(options.Root, "client-api/FriendlyChaoyang.Api"), "--urls", options.ApiUrl);
        await WaitForMembershipAsync(_silos.Length, cancellationToken, failOnExit: true);
    }

    public void StartSilo(int index)
    {
        var env = new Dictionary<string, string>
        {
            // On hosts every silo has its own address, so all use the standard ports.
            ["Orleans__SiloPort"] = (options.Hosts is null ? options.SiloPortBase + index : 11111).ToString(CultureInfo.InvariantCulture),
            ["Orleans__GatewayPort"] = (options.Hosts is null ? options.GatewayPortBase + index : 30000).ToString(CultureInfo.InvariantCulture),
            ["Orleans__SiloName"] = $"chaos-{SiloLabel(index)}",
        };
        if (options.Hosts is { } hosts)
        {
            env["Orleans__AdvertisedIPAddress"] = hosts.Address(HostNetwork.Silo(index));
        }
        lock (_gate)
        {
            var process = Start(SiloLabel(index), HostNetwork.Silo(index), Path.Combine(options.Root, "silo/FriendlyChaoyang.Silo/bin/Release/net10.0/FriendlyChaoyang.Silo.dll"), env);
            _silos[index] = process;
            process.EnableRaisingEvents = true;
            process.Exited += (_, _) => Supervise(index, process);
        }
    }

    /// <summary>Restarts a silo that exited without being killed by the suite (it is still the slot's process).</summary>
    private void Supervise(int index, Process process)
    {
        lock (_gate)
        {
            if (_stopping || !ReferenceEquals(_silos[index], process))
            {
                return;
            }
        }
        Watch?.SiloExited(SiloLabel(index));
        log($"{SiloLabel(index)} (pid {process.Id}) exited on its own with code {process.ExitCode}; the supervisor starts it again in {SupervisorDelay.TotalSeconds:0} s");
        _ = Task.Run(async () =>
        {
            await Task.Delay(SupervisorDelay);
            lock (_gate)
            {
                if (!_stopping && ReferenceEquals(_silos[index], process))
                {
                    StartSilo(index);
                }
            }
        });
    }

    /// <summary>SIGKILL, as a crashed machine or the OOM killer would: no graceful leave from the cluster.</summary>
    public int KillSilo(int index)
    {
        Process process;
        lock (_gate)
        {
            process = _silos[index] ?? throw new InvalidOperationException($"silo {index} was never started");
            _silos[index] = null; // before the kill, so the supervisor leaves it dead
        }
        var pid = process.Id;
        process.Kill(); // SIGKILL on Linux
        process.WaitForExit();
        return pid;
    }

    /// <summary>SIGSTOP the postmaster and every backend: connections hang instead of failing, the nastier case.</summary>
    public async Task<int> FreezePostgresAsync()
    {
        var postmaster = PostmasterPid();
        await SignalAsync("STOP", [postmaster]);
        // Backends forked just before the postmaster stopped would be missed by one scan.
        var backends = new HashSet<int>();
        for (var scan = 0; scan < 2; scan++)
        {
            var found = ChildrenOf(postmaster).Where(backends.Add).ToList();
            if (found.Count > 0)
            {
                await SignalAsync("STOP", found);
            }
        }
        _frozen = [.. backends, postmaster];
        await File.WriteAllLinesAsync(Path.Combine(options.RunDir, "pg-frozen"), _frozen.Select(p => p.ToString(CultureInfo.InvariantCulture)));
        return _frozen.Count;
    }

    public async Task ThawPostgresAsync()
    {
        if (_frozen.Count == 0)
        {
            return;
        }
        await SignalAsync("CONT", _frozen);
        _frozen = [];
        File.Delete(Path.Combine(options.RunDir, "pg-frozen"));
    }

    /// <summary>A clean stop (pg_ctl -m fast): connections are refused rather than hanging.</summary>
    public Task StopPostgresAsync() => PgScriptAsync($"pg_stop '{options.PgData}'");

    public Task StartPostgresAsync() => PgScriptAsync($"PG_HOST={options.DbAddress} pg_start '{options.PgData}' {options.PgPort}");

    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _stopping = true;
        }
        await ThawPostgresAsync();
        var running = _silos.Append(_api).OfType<Process>().Where(p => !p.HasExited).ToList();
        foreach (var process in running)
        {
            await SignalAsync("TERM", [process.Id]);
        }
        foreach (var process in running)
        {
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
            }
        }
    }

    private Process Start(string name, string host, string dll, Dictionary<string, string> env, params string[] args)
    {
        var logPath = Path.Combine(LogDir, name + ".log");
        var psi = options.Hosts?.StartInfo(host, "dotnet") ?? new ProcessStartInfo("dotnet") { UseShellExecute = false };
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["ConnectionStrings__Orleans"] = options.ConnectionString.Replace("Timeout=5;Command Timeout=15", "Maximum Pool Size=32", StringComparison.Ordinal);
        psi.Environment["Orleans__ClusterId"] = ChaosOptions.ClusterId;
        psi.Environment["Orleans__ServiceId"] = ChaosOptions.ClusterId;
        psi.Environment["DOTNET_gcServer"] = "0";
        foreach (var (key, value) in env)
        {
            psi.Environment[key] = value;
        }
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {name}");
        File.AppendAllText(Path.Combine(options.RunDir, "pids"), process.Id.ToString(CultureInfo.InvariantCulture) + "\n");
        var writer = new StreamWriter(logPath, append: true) { AutoFlush = true };
        writer.WriteLine($"===== {DateTimeOffset.UtcNow:O} started pid {process.Id} =====");
        var gate = new object();
        void Write(string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (gate)
            {
                writer.WriteLine(line);
            }
            // Traces of two activations of one grain: storage refused a stale activation's write (version check), a station
            // found its copy stale before answering from memory (StationGrain.ConfirmCopyIsCurrentAsync), or the grain
            // directory refused to register an activation on a silo the cluster had declared dead.
            if (line.Contains("InconsistentStateException:", StringComparison.Ordinal) && !line.TrimStart().StartsWith("--->", StringComparison.Ordinal))
            {
                Watch?.DuplicateTrace(name, "version conflict");
            }
            else if (line.Contains("another activation wrote since", StringComparison.Ordinal))
            {
                Watch?.DuplicateTrace(name, "stale station copy dropped");
            }
            else if (line.Contains("on invalid silo", StringComparison.Ordinal))
            {
                Watch?.DuplicateTrace(name, "activation refused on a dead silo");
            }
        }
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        log($"started {name} (pid {process.Id}{(options.Hosts is { } h ? $", host {host} {h.Address(host)}" : "")})");
        return process;
    }

    /// <summary>Waits until the membership table lists this many active silos of our cluster.</summary>
    public async Task WaitForMembershipAsync(int active, CancellationToken cancellationToken, bool failOnExit = false)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (failOnExit && _silos.Any(s => s is { HasExited: true }))
            {
                throw new InvalidOperationException($"a silo exited during start-up; see {LogDir}");
            }
            try
            {
                if ((await MembershipAsync(cancellationToken)).Active >= active)
                {
                    return;
                }
            }
            catch (Npgsql.PostgresException)
            {
                // The schema is not there yet.
            }
            await Task.Delay(500, cancellationToken);
        }
        throw new TimeoutException($"fewer than {active} silos became active within 120 s; see {LogDir}");
    }

    /// <summary>Rows of our cluster in the membership table: active silos, and silos declared dead (each generation once).</summary>
    public async Task<(int Active, int Dead)> MembershipAsync(CancellationToken cancellationToken)
    {
        // A fresh connection each time: pooled ones break when the database restarts (the pg_ctl stop fault).
        await using var db = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(options.ConnectionString) { Pooling = false }.ConnectionString);
        await db.OpenAsync(cancellationToken);
        await using var cmd = new Npgsql.NpgsqlCommand(
            "SELECT count(*) FILTER (WHERE status = 3), count(*) FILTER (WHERE status = 6) FROM orleansmembershiptable WHERE deploymentid = @c", db);
        cmd.Parameters.AddWithValue("c", ChaosOptions.ClusterId);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return ((int)reader.GetInt64(0), (int)reader.GetInt64(1));
    }

    private int PostmasterPid() =>
        int.Parse(File.ReadLines(Path.Combine(options.PgData, "postmaster.pid")).First(), CultureInfo.InvariantCulture);

    private static IEnumerable<int> ChildrenOf(int parent)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue;
            }
            // pid (comm) state ppid ...: comm may contain spaces, so parse after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields.Length > 1 && int.TryParse(fields[1], out var ppid) && ppid == parent)
            {
                yield return pid;
            }
        }
    }

    private static async Task SignalAsync(string signal, IEnumerable<int> pids)
    {
        var psi = new ProcessStartInfo("kill") { UseShellExecute = false, RedirectStandardError = true };
        psi.ArgumentList.Add("-" + signal);
        foreach (var pid in pids)
        {
            psi.ArgumentList.Add(pid.ToString(CultureInfo.InvariantCulture));
        }
        using var kill = Process.Start(psi)!;
        await kill.WaitForExitAsync();
    }

    /// <summary>A scripts/postgres.sh function, on the db host with --hosts (the server listens on that host's address).</summary>
    private Task PgScriptAsync(string command) =>
        Shell.SourceAndRunAsync(options.Hosts?.StartInfo(HostNetwork.Db, "bash") ?? new ProcessStartInfo("bash"), Path.Combine(options.Root, "scripts/postgres.sh"), command);
}
