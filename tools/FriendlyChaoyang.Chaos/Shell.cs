using System.Diagnostics;

namespace FriendlyChaoyang.Chaos;

/// <summary>Runs a function of one of the repository's shell scripts (scripts/postgres.sh, scripts/hosts.sh).</summary>
public static class Shell
{
    /// <summary>`source SCRIPT && COMMAND` with <paramref name="bash"/> (bash itself, or bash on a host); throws unless it exits 0.</summary>
    public static async Task SourceAndRunAsync(ProcessStartInfo bash, string script, string command)
    {
        bash.UseShellExecute = false;
        bash.ArgumentList.Add("-c");
        bash.ArgumentList.Add($"source '{script}' && {command}");
        using var process = Process.Start(bash)!;
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{command}' failed with exit code {process.ExitCode}");
        }
    }
}
