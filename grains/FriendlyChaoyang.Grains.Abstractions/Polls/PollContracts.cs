namespace FriendlyChaoyang.Polls;

/// <summary>A station's question to riders (驿站如何改？骑手说了算), as a manager or operator opened it.</summary>
[GenerateSerializer, Immutable, Alias("fc.NewPoll")]
public sealed record NewPoll(
    [property: Id(0)] string StationId,
    [property: Id(1)] string Question,
    [property: Id(2)] IReadOnlyList<string> Options,
    [property: Id(3)] DateTimeOffset ClosesAt,
    [property: Id(4)] string OpenedBy);

[GenerateSerializer, Immutable, Alias("fc.PollOption")]
public sealed record PollOption([property: Id(0)] string Text, [property: Id(1)] int Votes);

/// <summary>A poll with its live results: every vote that is stored, and only those.</summary>
[GenerateSerializer, Immutable, Alias("fc.PollView")]
public sealed record PollView(
    [property: Id(0)] string Id,
    [property: Id(1)] string StationId,
    [property: Id(2)] string Question,
    [property: Id(3)] IReadOnlyList<PollOption> Options,
    [property: Id(4)] DateTimeOffset ClosesAt,
    [property: Id(5)] bool Closed);

[GenerateSerializer, Alias("fc.PollOutcome")]
public enum PollOutcome
{
    /// <summary>Opened, voted, or a replay of the same open: the poll is in the result.</summary>
    Answered = 0,
    NotFound = 1,
    /// <summary>The poll's Idempotency-Key first opened another poll.</summary>
    DifferentRequest = 2,
    AlreadyVoted = 3,
    Closed = 4,
    NoSuchOption = 5,
}

[GenerateSerializer, Immutable, Alias("fc.PollResult")]
public sealed record PollResult([property: Id(0)] PollOutcome Outcome, [property: Id(1)] PollView? Poll);

public static class PollLimits
{
    public const int MinOptions = 2;
    public const int MaxOptions = 6;
    public const int MaxQuestionLength = 200;
    public const int MaxOptionLength = 100;
}
