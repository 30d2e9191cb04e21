namespace FriendlyChaoyang.Polls;

[GenerateSerializer, Alias("fc.PollState")]
public sealed class PollState
{
    /// <summary>Null until the poll is opened.</summary>
    [Id(0)] public NewPoll? Poll { get; set; }

    /// <summary>The digest of the request that opened it, so a replay of its Idempotency-Key with another poll is refused.</summary>
    [Id(1)] public string? RequestFingerprint { get; set; }

    /// <summary>Each rider's vote: the index of the option chosen.</summary>
    [Id(2)] public Dictionary<string, int> Votes { get; set; } = [];
}
