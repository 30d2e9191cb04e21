using FriendlyChaoyang.Points;

namespace FriendlyChaoyang.Riders;

[GenerateSerializer, Immutable, Alias("fc.RiderProfile")]
public sealed record RiderProfile(
    [property: Id(0)] string Id,
    [property: Id(1)] string? DisplayName,
    [property: Id(2)] string? Platform,
    [property: Id(3)] string? Kind,
    [property: Id(4)] Stations.CheckIn? CurrentStation,
    [property: Id(5)] PointsSummary Points);

[GenerateSerializer, Immutable, Alias("fc.RiderProfileUpdate")]
public sealed record RiderProfileUpdate(
    [property: Id(0)] string DisplayName,
    [property: Id(1)] string Platform,
    [property: Id(2)] string Kind);
