namespace FriendlyChaoyang.Commendations;

/// <summary>喜报 and 顺手公益 (good deeds), 锦旗 (banners), 感谢信 (thank-you letters), letters home. Stored by number.</summary>
[GenerateSerializer, Alias("fc.CommendationKind")]
public enum CommendationKind
{
    GoodDeed = 0,
    Banner = 1,
    ThankYouLetter = 2,
    LetterHome = 3,
}

/// <param name="SubdistrictId">The commending operator's subdistrict: its feed shows it, its operators alone may revoke it.</param>
/// <param name="RequestFingerprint">Of the create request, so a replayed Idempotency-Key with another body is told apart.</param>
[GenerateSerializer, Immutable, Alias("fc.NewCommendation")]
public sealed record NewCommendation(
    [property: Id(0)] string RiderId,
    [property: Id(1)] CommendationKind Kind,
    [property: Id(2)] string Text,
    [property: Id(3)] string? Evidence,
    [property: Id(4)] string OperatorId,
    [property: Id(5)] string SubdistrictId,
    [property: Id(6)] string RequestFingerprint);

/// <summary>A commendation as the rider and operators see it.</summary>
/// <param name="Points">Credited once when it was recorded (from configuration at that time); reversed once if revoked.</param>
[GenerateSerializer, Immutable, Alias("fc.RiderCommendation")]
public sealed record RiderCommendation(
    [property: Id(0)] string Id,
    [property: Id(1)] string RiderId,
    [property: Id(2)] CommendationKind Kind,
    [property: Id(3)] string Text,
    [property: Id(4)] string? Evidence,
    [property: Id(5)] string SubdistrictId,
    [property: Id(6)] int Points,
    [property: Id(7)] DateTimeOffset At,
    [property: Id(8)] DateTimeOffset? RevokedAt);

/// <summary>A commendation on the public good-news feed: the rider's name masked (张**), no rider id, no evidence.</summary>
[GenerateSerializer, Immutable, Alias("fc.PublicCommendation")]
public sealed record PublicCommendation(
    [property: Id(0)] string Id,
    [property: Id(1)] CommendationKind Kind,
    [property: Id(2)] string RiderName,
    [property: Id(3)] string Text,
    [property: Id(4)] string SubdistrictId,
    [property: Id(5)] DateTimeOffset At);

[GenerateSerializer, Alias("fc.CommendationOutcome")]
public enum CommendationOutcome
{
    Answered = 0,
    NotFound = 1,
    DifferentRequest = 2,
    /// <summary>A revocation by an operator of another subdistrict than the commending one.</summary>
    WrongSubdistrict = 3,
}

[GenerateSerializer, Immutable, Alias("fc.CommendationResult")]
public sealed record CommendationResult([property: Id(0)] CommendationOutcome Outcome, [property: Id(1)] RiderCommendation? Commendation);

/// <summary>The operator who revokes: their token's subject and subdistrict.</summary>
[GenerateSerializer, Immutable, Alias("fc.CommendationOperator")]
public sealed record CommendationOperator([property: Id(0)] string OperatorId, [property: Id(1)] string SubdistrictId);

public static class CommendationLimits
{
    public const int MaxTextLength = 500;
    public const int MaxEvidenceLength = 500;
}

/// <summary>
/// One commendation, keyed by its id. Its points are credited through its outbox under the ledger id
/// "commendation:{id}", and a revocation posts one compensating entry "commendation:{id}:revoked": a repeated create,
/// a repeated revoke or a redelivery never pays or reverses twice. Not reentrant.
/// </summary>
[Alias("fc.ICommendationGrain")]
public interface ICommendationGrain : IGrainWithStringKey
{
    /// <summary>Records it (a repeat with the same fingerprint returns the first result) and credits the kind's points once.</summary>
    [Alias("Create")]
    Task<CommendationResult> CreateAsync(NewCommendation commendation);

    /// <summary>Revokes it once (a repeat answers the same) and reverses its points once.</summary>
    [Alias("Revoke")]
    Task<CommendationResult> RevokeAsync(CommendationOperator by);

    /// <returns>Null for an id that was never recorded.</returns>
    [Alias("Get")]
    Task<RiderCommendation?> GetAsync();
}

/// <summary>One subdistrict's public good-news feed, keyed by subdistrict id: standing commendations, newest first.</summary>
[Alias("fc.ICommendationFeedGrain")]
public interface ICommendationFeedGrain : IGrainWithStringKey
{
    /// <summary>Adds the commendation, or removes it once revoked; a repeated delivery changes nothing.</summary>
    [Alias("Update")]
    Task UpdateAsync(PublicCommendation commendation, bool revoked);

    /// <returns>Null when the key is not a known subdistrict.</returns>
    [Alias("List")]
    Task<IReadOnlyList<PublicCommendation>?> ListAsync(int page, int pageSize);
}
