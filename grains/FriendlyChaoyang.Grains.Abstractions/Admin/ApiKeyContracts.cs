namespace FriendlyChaoyang.Admin;

/// <summary>A partner platform's api key as the registry keeps it: never the key itself, only its SHA-256 (hex).</summary>
[GenerateSerializer, Immutable, Alias("fc.ApiKey")]
public sealed record ApiKey(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Platform,
    [property: Id(3)] string Hash,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] string CreatedBy,
    [property: Id(6)] DateTimeOffset? RevokedAt);

/// <param name="CreatedBy">The admin's token subject, for the audit trail.</param>
[GenerateSerializer, Immutable, Alias("fc.NewApiKey")]
public sealed record NewApiKey(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Platform,
    [property: Id(3)] string Hash,
    [property: Id(4)] string CreatedBy);
