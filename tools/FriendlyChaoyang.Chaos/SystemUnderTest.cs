using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace FriendlyChaoyang.Chaos;

/// <summary>
/// The processes this suite starts (silos and the API) and the PostgreSQL it may pause. Every PID it starts is appended
/// to run-dir/pids so the shell wrapper can stop them even if this process dies; it never signals anything else.
/// </summary>
public sealed class SystemUnderTest(ChaosOptions options, Action<string> log) : IAsyncDisposable
{
    private readonly Process?[] _silos = new Process?[options.Silos];
    private readonly string _signingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
    private Process? _api;
    private List<int> _frozen = [];

    private string LogDir => Path.Combine(options.RunDir, "logs");

    public int SiloCount => _silos.Length;

    public bool IsSiloRunning(int index) => _silos[index] is { HasExited: false };

    public int? SiloPid(int index) => _silos[index] is { HasExited: false } p ? p.Id : null;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(LogDir);
        // The first silo migrates the schema; start it alone so two silos do not race to create it.
        StartSilo(0);
        await WaitForMembershipAsync(1, cancellationToken);
        for (var i = 1; i < _silos.Length; i++)
        {
            StartSilo(i);
        }
        _api = Start("api", Path.Combine(options.Root, "client-api/FriendlyChaoyang.Api/bin/Release/net10.0/FriendlyChaoyang.Api.dll"),
            new Dictionary<string, string>
            {
                ["Auth__SigningKey"] = _signingKey,
                ["Auth__DevTokens"] = "true",
                ["ASPNETCORE_ENVIRONMENT"] = "Development", // dev tokens are refused in Production
                ["RateLimits__Enabled"] = "false", // every simulated rider comes from one address
            },
            "--contentRoot", Path.Combine(options.Root, "client-api/FriendlyChaoyang.Api"), "--urls", options.ApiUrl);
        await WaitForMembershipAsync(_silos.Length, cancellationToken);
    }

    public void StartSilo(int index)
    {
        _silos[index] = Start($"silo-{index}", Path.Combine(options.Root, "silo/FriendlyChaoyang.Silo/bin/Release/net10.0/FriendlyChaoyang.Silo.dll"),
            new Dictionary<string, string>
            {
                ["Orleans__SiloPort"] = (options.SiloPortBase + index).ToString(CultureInfo.InvariantCulture),
                ["Orleans__GatewayPort"] = (options.GatewayPortBase + index).ToString(CultureInfo.InvariantCulture),
                ["Orleans__SiloName"] = $"chaos-silo-{index}",
            });
    }

    /// <summary>SIGKILL, as a crashed machine or the OOM killer would: no graceful leave from the cluster.</summary>
    public int KillSilo(int index)
    {
        var process = _silos[index] ?? throw new InvalidOperationException($"silo {index} was never started");
        var pid = process.Id;
        process.Kill(); // SIGKILL on Linux
        process.WaitForExit();
        _silos[index] = null;
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

    public Task StartPostgresAsync() => PgScriptAsync($"pg_start '{options.PgData}' {options.PgPort}");

    public async ValueTask DisposeAsync()
    {
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

    private Process Start(string name, string dll, Dictionary<string, string> env, params string[] args)
    {
        var logPath = Path.Combine(LogDir, name + ".log");
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
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
        }
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        log($"started {name} (pid {process.Id})");
        return process;
    }

    /// <summary>Waits until the membership table lists this many active silos of our cluster.</summary>
    public async Task WaitForMembershipAsync(int active, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_silos.Any(s => s is { HasExited: true }))
            {
                throw new InvalidOperationException($"a silo exited during start-up; see {LogDir}");
            }
            try
            {
                await using var db = new Npgsql.NpgsqlConnection(options.ConnectionString);
                await db.OpenAsync(cancellationToken);
                await using var cmd = new Npgsql.NpgsqlCommand(
                    "SELECT count(*) FROM orleansmembershiptable WHERE deploymentid = @c AND status = 3", db);
                cmd.Parameters.AddWithValue("c", ChaosOptions.ClusterId);
                if (Convert.ToInt32(await cmd.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) >= active)
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

    private async Task PgScriptAsync(string command)
    {
        var psi = new ProcessStartInfo("bash") { UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add($"source '{options.Root}/scripts/postgres.sh' && {command}");
        using var bash = Process.Start(psi)!;
        await bash.WaitForExitAsync();
        if (bash.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{command}' failed with exit code {bash.ExitCode}");
        }
    }
}
