using System.Collections.Concurrent;

namespace FriendlyChaoyang.Chaos;

/// <summary>What the suite believes, from acknowledged (2xx) answers only. Each rider is driven by one worker at a time.</summary>
public sealed class RiderModel(string id, string token)
{
    public string Id { get; } = id;
    public string Token { get; } = token;

    /// <summary>The station of the last acknowledged check-in, or null after an acknowledged check-out.</summary>
    public string? Station { get; set; }

    /// <summary>Codes of this rider's redemptions, held until confirmed or cancelled.</summary>
    public List<RedemptionModel> Redemptions { get; } = [];
}

public sealed class RedemptionModel(string code, string riderId, int cost)
{
    public string Code { get; } = code;
    public string RiderId { get; } = riderId;
    public int Cost { get; } = cost;
    public string State { get; set; } = "held";
}

public sealed class IssueModel(string id)
{
    private int _claimed;

    public string Id { get; } = id;
    public string? Reporter { get; set; }
    public string? SubdistrictId { get; set; }

    /// <summary>Last acknowledged status.</summary>
    public string Status { get; set; } = "submitted";

    /// <summary>Riders linked while the issue was open (not the reporter): each is owed the co-reporter points on resolve.</summary>
    public ConcurrentDictionary<string, bool> CoReporters { get; } = new();

    /// <summary>
    /// Riders whose report was answered as linked to it once it was resolved: owed the co-reporter points only if the link
    /// was made while it was open (a retry finishing the link of an attempt whose answer was lost), which the answer cannot tell.
    /// </summary>
    public ConcurrentDictionary<string, bool> LateLinks { get; } = new();

    public bool IsOpen => Status is "submitted" or "dispatched" or "on_site";

    /// <summary>One operator moves an issue at a time, so its acknowledged status is never raced.</summary>
    public bool TryClaim() => Interlocked.CompareExchange(ref _claimed, 1, 0) == 0;

    public void Release() => Volatile.Write(ref _claimed, 0);
}

public sealed class WorldModel
{
    public ConcurrentDictionary<string, RiderModel> Riders { get; } = new();
    public ConcurrentDictionary<string, IssueModel> Issues { get; } = new();
    public ConcurrentDictionary<string, string> OperatorTokens { get; } = new();
    public ConcurrentDictionary<string, int> RewardCosts { get; } = new();

    /// <summary>Operations that never got a definitive answer before the deadline (op, rider).</summary>
    public ConcurrentQueue<string> Unresolved { get; } = new();

    /// <summary>Per operation kind: answers by status code.</summary>
    public ConcurrentDictionary<string, ConcurrentDictionary<int, int>> Answers { get; } = new();

    public void Count(string op, int status) =>
        Answers.GetOrAdd(op, _ => new()).AddOrUpdate(status, 1, (_, n) => n + 1);
}
