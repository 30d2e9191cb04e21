namespace FriendlyChaoyang.Stations;

/// <summary>A station manager (双站长): the token subject they sign in with, their name, and for the company one, its platform.</summary>
[GenerateSerializer, Immutable, Alias("fc.StationManager")]
public sealed record StationManager([property: Id(0)] string Subject, [property: Id(1)] string Name, [property: Id(2)] string? Platform);

/// <summary>Up to one community and one company manager.</summary>
[GenerateSerializer, Immutable, Alias("fc.StationManagers")]
public sealed record StationManagers([property: Id(0)] StationManager? Community, [property: Id(1)] StationManager? Company)
{
    public static readonly StationManagers None = new(null, null);

    public bool Includes(string subject) => Community?.Subject == subject || Company?.Subject == subject;

    /// <summary>What anyone may see at the station: names and platform, not the subjects managers sign in with.</summary>
    public PublicStationManagers Public() => new(
        Community is { } c ? new PublicStationManager(c.Name, c.Platform) : null,
        Company is { } m ? new PublicStationManager(m.Name, m.Platform) : null);
}

[GenerateSerializer, Immutable, Alias("fc.PublicStationManager")]
public sealed record PublicStationManager([property: Id(0)] string Name, [property: Id(1)] string? Platform);

[GenerateSerializer, Immutable, Alias("fc.PublicStationManagers")]
public sealed record PublicStationManagers([property: Id(0)] PublicStationManager? Community, [property: Id(1)] PublicStationManager? Company);

/// <summary>Who runs a station: the operators of its subdistrict and its appointed managers.</summary>
[GenerateSerializer, Immutable, Alias("fc.StationRoster")]
public sealed record StationRoster([property: Id(0)] string SubdistrictId, [property: Id(1)] StationManagers Managers);

/// <summary>A station's own index entry for one of its activities: enough to filter a time window without asking the activity.</summary>
[GenerateSerializer, Immutable, Alias("fc.StationActivity")]
public sealed record StationActivity([property: Id(0)] string Id, [property: Id(1)] DateTimeOffset StartsAt, [property: Id(2)] DateTimeOffset EndsAt);
