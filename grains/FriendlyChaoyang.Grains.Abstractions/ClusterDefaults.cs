namespace FriendlyChaoyang;

/// <summary>The cluster identity silos and the REST facade use when configuration names none; both must match.</summary>
public static class ClusterDefaults
{
    public const string ClusterId = "friendly-chaoyang";
    public const string ServiceId = "friendly-chaoyang";
}
