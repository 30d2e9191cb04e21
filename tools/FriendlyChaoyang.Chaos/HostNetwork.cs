using System.Diagnostics;
using System.Globalization;

namespace FriendlyChaoyang.Chaos;

/// <summary>
/// The hosts scripts/hosts.sh made for this run (instance <paramref name="id"/>: namespaces fcyID-*, subnet
/// 10.231.ID.0/24): where each process runs, and the links the partition faults cut. Cuts go through the script's own
/// functions so the suite and an operator's drill cut links the same way.
/// </summary>
public sealed class HostNetwork(int id, string root)
{
    public const string Db = "db";
    public const string Api = "api";

    /// <summary>Silo index i (0-based, as everywhere in the suite) runs on host silo-(i+1).</summary>
    public static string Silo(int index) => $"silo-{index + 1}";

    public string Address(string host) => host switch
    {
        Db => $"10.231.{id}.2",
        Api => $"10.231.{id}.3",
        _ => $"10.231.{id}.{10 + int.Parse(host["silo-".Length..], CultureInfo.InvariantCulture)}",
    };

    public string Namespace(string host) => $"fcy{id}-{host}";

    /// <summary>Drops packets from <paramref name="from"/> to <paramref name="to"/>, and back unless <paramref name="oneWay"/>.</summary>
    public Task CutAsync(string from, string to, bool oneWay = false) => ScriptAsync($"hosts_cut {id} {from} {to}{(oneWay ? " one-way" : "")}");

    /// <summary>Removes every cut.</summary>
    public Task HealAsync() => ScriptAsync($"hosts_heal {id}");

    /// <summary>Starts <paramref name="file"/> on <paramref name="host"/>: `ip netns exec` execs it, so the PID is the program's own.</summary>
    public ProcessStartInfo StartInfo(string host, string file)
    {
        var psi = new ProcessStartInfo("ip") { UseShellExecute = false };
        foreach (var a in new[] { "netns", "exec", Namespace(host), file })
        {
            psi.ArgumentList.Add(a);
        }
        return psi;
    }

    private Task ScriptAsync(string command) =>
        Shell.SourceAndRunAsync(new ProcessStartInfo("bash"), Path.Combine(root, "scripts/hosts.sh"), command);
}
