namespace FriendlyChaoyang.Activities;

[GenerateSerializer, Alias("fc.ActivityKind")]
public enum ActivityKind
{
    HealthClinic = 0,
    LegalAdvice = 1,
    SafetyTalk = 2,
    Crafts = 3,
    Other = 4,
}

/// <summary>What a manager or operator publishes on a station's calendar.</summary>
[GenerateSerializer, Immutable, Alias("fc.ActivityDefinition")]
public sealed record ActivityDefinition(
    [property: Id(0)] string StationId,
    [property: Id(1)] string Title,
    [property: Id(2)] ActivityKind Kind,
    [property: Id(3)] DateTimeOffset StartsAt,
    [property: Id(4)] DateTimeOffset EndsAt,
    [property: Id(5)] int Capacity,
    [property: Id(6)] int Points);

/// <param name="RequestFingerprint">Of the create request, so a replayed Idempotency-Key with another body is told apart.</param>
[GenerateSerializer, Immutable, Alias("fc.NewActivity")]
public sealed record NewActivity(
    [property: Id(0)] ActivityDefinition Definition,
    [property: Id(1)] string CreatedBy,
    [property: Id(2)] string RequestFingerprint);

/// <summary>An activity as the calendar lists it, with its live counts.</summary>
[GenerateSerializer, Immutable, Alias("fc.ActivityView")]
public sealed record ActivityView(
    [property: Id(0)] string Id,
    [property: Id(1)] string StationId,
    [property: Id(2)] string Title,
    [property: Id(3)] ActivityKind Kind,
    [property: Id(4)] DateTimeOffset StartsAt,
    [property: Id(5)] DateTimeOffset EndsAt,
    [property: Id(6)] int Capacity,
    [property: Id(7)] int Registered,
    [property: Id(8)] int Waitlisted,
    [property: Id(9)] int Points);

[GenerateSerializer, Alias("fc.CreateActivityOutcome")]
public enum CreateActivityOutcome
{
    Created = 0,
    DifferentRequest = 1,
}

[GenerateSerializer, Immutable, Alias("fc.CreateActivityResult")]
public sealed record CreateActivityResult([property: Id(0)] CreateActivityOutcome Outcome, [property: Id(1)] ActivityView? Activity);

/// <summary>Where a rider stands. Offered: a freed seat is held for them until <c>OfferExpiresAt</c>; accept it to register.</summary>
[GenerateSerializer, Alias("fc.RegistrationStatus")]
public enum RegistrationStatus
{
    Registered = 0,
    Waitlisted = 1,
    Offered = 2,
}

/// <param name="Position">1 = next in line; only while waitlisted.</param>
/// <param name="Ticket">The secret the rider's QR code encodes; only once registered.</param>
[GenerateSerializer, Immutable, Alias("fc.Registration")]
public sealed record Registration(
    [property: Id(0)] RegistrationStatus Status,
    [property: Id(1)] int? Position,
    [property: Id(2)] string? Ticket,
    [property: Id(3)] DateTimeOffset? OfferExpiresAt);

[GenerateSerializer, Alias("fc.RegistrationOutcome")]
public enum RegistrationOutcome
{
    Answered = 0,
    UnknownActivity = 1,
    /// <summary>The activity has started (or ended): no new registrations or accepted offers.</summary>
    Started = 2,
    NotRegistered = 3,
    /// <summary>Accept while still waitlisted. (An expired offer left the line: NotRegistered.)</summary>
    NoOffer = 4,
}

/// <param name="Registration">Null once cancelled, or when refused.</param>
[GenerateSerializer, Immutable, Alias("fc.RegistrationResult")]
public sealed record RegistrationResult([property: Id(0)] RegistrationOutcome Outcome, [property: Id(1)] Registration? Registration)
{
    public static RegistrationResult Refused(RegistrationOutcome outcome) => new(outcome, null);
}

[GenerateSerializer, Alias("fc.AttendanceOutcome")]
public enum AttendanceOutcome
{
    Recorded = 0,
    UnknownActivity = 1,
    UnknownTicket = 2,
}

/// <param name="FirstScan">False for a repeated scan: nothing changed.</param>
[GenerateSerializer, Immutable, Alias("fc.AttendanceResult")]
public sealed record AttendanceResult(
    [property: Id(0)] AttendanceOutcome Outcome,
    [property: Id(1)] string? RiderId,
    [property: Id(2)] DateTimeOffset? AttendedAt,
    [property: Id(3)] bool FirstScan);

/// <summary>
/// A calendar search: one station's activities, or those of the stations within <c>RadiusM</c> of a point; activities
/// that end at or after <c>From</c> and start at or before <c>To</c>, soonest first.
/// </summary>
[GenerateSerializer, Immutable, Alias("fc.ActivityQuery")]
public sealed record ActivityQuery(
    [property: Id(0)] string? StationId,
    [property: Id(1)] double? Lat,
    [property: Id(2)] double? Lon,
    [property: Id(3)] double RadiusM,
    [property: Id(4)] DateTimeOffset From,
    [property: Id(5)] DateTimeOffset? To,
    [property: Id(6)] int Page,
    [property: Id(7)] int PageSize);

public static class ActivityLimits
{
    public const int MaxTitleLength = 200;
    public const int MaxCapacity = 10_000;
    public const int MaxPoints = 1_000;
    public const int MaxPageSize = 100;

    /// <summary>A nearby search asks at most this many of the nearest stations for their calendars.</summary>
    public const int MaxStations = 50;
}
