namespace FriendlyChaoyang.Issues;

/// <summary>The rule of every list of open issues an issue keeps current through its outbox (a queue): a closed issue leaves it.</summary>
public static class OpenIssueEntries
{
    /// <summary>Records the issue's latest entry, or removes it once closed.</summary>
    /// <returns>True when the list changed (it needs writing); a repeated delivery changes nothing.</returns>
    public static bool Track<T>(this Dictionary<string, T> open, string id, string status, T entry) where T : IEquatable<T>
    {
        ArgumentNullException.ThrowIfNull(open);
        if (!IssueStatuses.IsOpen(status))
        {
            return open.Remove(id);
        }
        if (open.TryGetValue(id, out var current) && current.Equals(entry))
        {
            return false;
        }
        open[id] = entry;
        return true;
    }
}
