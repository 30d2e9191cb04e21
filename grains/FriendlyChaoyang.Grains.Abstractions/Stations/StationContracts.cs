using System.Text.Json.Serialization;

namespace FriendlyChaoyang.Stations;

/// <summary>What a station is, as seeded: identity, place and capacities. Changes only when the seed changes.</summary>
[GenerateSerializer, Immutable, Alias("fc.StationDefinition")]
public sealed record StationDefinition(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string SubdistrictId,
    [property: Id(3)] double Lat,
    [property: Id(4)] double Lon,
    [property: Id(5)] bool Open24h,
    [property: Id(6)] int Seats,
    [property: Id(7)] int ChargingPorts,
    [property: Id(8)] int SwapPorts,
    [property: Id(9)] IReadOnlyList<string> Amenities);

[GenerateSerializer, Immutable, Alias("fc.Capacity")]
public sealed record Capacity([property: Id(0)] int Total, [property: Id(1)] int Free)
{
    /// <summary>
    /// For ports reported by their operators' feeds: every port counted as known (in <see cref="Free"/> or busy) reported
    /// at or after this time. Absent for seats and for ports no live feed covers.
    /// </summary>
    [Id(2), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? FreshAt { get; init; }
}

/// <summary>Live view of one station.</summary>
[GenerateSerializer, Immutable, Alias("fc.StationSnapshot")]
public sealed record StationSnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string SubdistrictId,
    [property: Id(3)] double Lat,
    [property: Id(4)] double Lon,
    [property: Id(5)] bool Open24h,
    [property: Id(6)] Capacity Seats,
    [property: Id(7)] Capacity Charging,
    [property: Id(8)] Capacity Swap,
    [property: Id(9)] IReadOnlyList<string> Amenities,
    [property: Id(10)] int Present,
    [property: Id(11)] PublicStationManagers? Managers = null)
{
    /// <summary>Whether a search with this need may list the station; also what "has room" means to the geo index.</summary>
    public bool HasRoomFor(StationNeed need) => need switch
    {
        StationNeed.Seat => Seats.Free > 0,
        // Charging uses a seat too.
        StationNeed.Charging => Charging.Free > 0 && Seats.Free > 0,
        StationNeed.Swap => Swap.Free > 0,
        _ => true,
    };
}

/// <summary>A station found by a nearby search, with its great-circle distance from the query point.</summary>
[GenerateSerializer, Immutable, Alias("fc.NearbyStation")]
public sealed record NearbyStation(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string SubdistrictId,
    [property: Id(3)] double Lat,
    [property: Id(4)] double Lon,
    [property: Id(5)] double DistanceM,
    [property: Id(6)] bool Open24h,
    [property: Id(7)] Capacity Seats,
    [property: Id(8)] Capacity Charging,
    [property: Id(9)] Capacity Swap);

[GenerateSerializer, Alias("fc.StationNeed")]
public enum StationNeed
{
    Any = 0,
    Seat = 1,
    Charging = 2,
    Swap = 3,
}

[GenerateSerializer, Immutable, Alias("fc.NearbyQuery")]
public sealed record NearbyQuery(
    [property: Id(0)] double Lat,
    [property: Id(1)] double Lon,
    [property: Id(2)] double RadiusM,
    [property: Id(3)] int Limit,
    [property: Id(4)] StationNeed Need,
    [property: Id(5)] string? ExcludeStationId = null);

/// <summary>A rider's stay at a station.</summary>
[GenerateSerializer, Immutable, Alias("fc.CheckIn")]
public sealed record CheckIn(
    [property: Id(0)] string StationId,
    [property: Id(1)] DateTimeOffset CheckedInAt,
    [property: Id(2)] bool Charging);

[GenerateSerializer, Alias("fc.CheckInStatus")]
public enum CheckInStatus
{
    Admitted = 0,
    NoFreeSeat = 1,
    NoFreeChargingPort = 2,
    UnknownStation = 3,
}

[GenerateSerializer, Immutable, Alias("fc.CheckInResult")]
public sealed record CheckInResult(
    [property: Id(0)] CheckInStatus Status,
    [property: Id(1)] CheckIn? CheckIn,
    [property: Id(2)] IReadOnlyList<NearbyStation> Alternatives)
{
    public static CheckInResult Admitted(CheckIn checkIn) => new(CheckInStatus.Admitted, checkIn, []);
}

[GenerateSerializer, Alias("fc.CheckOutStatus")]
public enum CheckOutStatus
{
    CheckedOut = 0,
    NotCheckedIn = 1,
    UnknownStation = 2,
}

[GenerateSerializer, Immutable, Alias("fc.CheckOutResult")]
public sealed record CheckOutResult(
    [property: Id(0)] CheckOutStatus Status,
    [property: Id(1)] string StationId,
    [property: Id(2)] DateTimeOffset? CheckedInAt,
    [property: Id(3)] DateTimeOffset? CheckedOutAt);

public static class NearbyLimits
{
    public const double MaxRadiusM = 20_000;
    public const int MaxLimit = 50;
}

/// <summary>A point in one geo cell activation's history of changes.</summary>
[GenerateSerializer, Immutable, Alias("fc.CellVersion")]
public sealed record CellVersion([property: Id(0)] Guid Epoch, [property: Id(1)] long Version);

/// <summary>A cell's answer to <see cref="IGeoCellGrain.ChangesSinceAsync"/>: all its stations (Whole) or those changed since.</summary>
[GenerateSerializer, Immutable, Alias("fc.CellChanges")]
public sealed record CellChanges(
    [property: Id(0)] CellVersion Version,
    [property: Id(1)] bool Whole,
    [property: Id(2)] IReadOnlyList<StationSnapshot> Stations);
