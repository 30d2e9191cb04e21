namespace FriendlyChaoyang.Health;

public sealed class ReadinessGrain : Grain, IReadinessGrain
{
    private Warmth? _warmth;

    public Task ReportWarmAsync(Warmth warmth)
    {
        ArgumentNullException.ThrowIfNull(warmth);
        _warmth = warmth;
        return Task.CompletedTask;
    }

    public Task<Warmth?> GetWarmthAsync() => Task.FromResult(_warmth);
}
