using Microsoft.Extensions.Configuration;

namespace FriendlyChaoyang;

/// <summary>What silos and the REST facade must agree on: the cluster identity when configuration names none, and switches both read.</summary>
public static class ClusterDefaults
{
    public const string ClusterId = "friendly-chaoyang";
    public const string ServiceId = "friendly-chaoyang";

    /// <summary>The configuration key that turns the Orleans dashboard on (off when unset); its pages need it on in both.</summary>
    public const string DashboardEnabled = "Dashboard:Enabled";

    /// <summary>Whether <see cref="DashboardEnabled"/> is on: the one reading of the switch, so silos and API default alike.</summary>
    public static bool IsDashboardEnabled(IConfiguration configuration) => configuration.GetValue(DashboardEnabled, false);
}
