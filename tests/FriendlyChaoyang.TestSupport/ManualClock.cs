namespace FriendlyChaoyang.Testing;

/// <summary>A clock that stands still until a test moves it: for rules that turn on the time (expiry, staleness).</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}
