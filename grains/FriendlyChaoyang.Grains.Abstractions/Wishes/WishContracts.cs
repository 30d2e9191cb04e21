namespace FriendlyChaoyang.Wishes;

/// <summary>What a micro-wish (微心愿) asks for. Stored by number, so these numbers never change.</summary>
[GenerateSerializer, Alias("fc.WishKind")]
public enum WishKind
{
    DailyGoods = 0,
    Learning = 1,
    Family = 2,
    Health = 3,
    Legal = 4,
    Other = 5,
}

/// <summary>open -> claimed -> fulfilled -> closed; open or claimed -> rejected. Stored by number.</summary>
[GenerateSerializer, Alias("fc.WishStatus")]
public enum WishStatus
{
    Open = 0,
    Claimed = 1,
    Fulfilled = 2,
    Closed = 3,
    Rejected = 4,
}

/// <param name="RequestFingerprint">Of the create request, so a replayed Idempotency-Key with another body is told apart.</param>
[GenerateSerializer, Immutable, Alias("fc.NewWish")]
public sealed record NewWish(
    [property: Id(0)] string RiderId,
    [property: Id(1)] string Text,
    [property: Id(2)] WishKind Kind,
    [property: Id(3)] string SubdistrictId,
    [property: Id(4)] string RequestFingerprint);

/// <param name="ClaimedBy">The operator who claimed it (and alone may fulfil it).</param>
/// <param name="Note">The rejecting operator's note.</param>
[GenerateSerializer, Immutable, Alias("fc.WishView")]
public sealed record WishView(
    [property: Id(0)] string Id,
    [property: Id(1)] string RiderId,
    [property: Id(2)] string Text,
    [property: Id(3)] WishKind Kind,
    [property: Id(4)] WishStatus Status,
    [property: Id(5)] string SubdistrictId,
    [property: Id(6)] DateTimeOffset PostedAt,
    [property: Id(7)] DateTimeOffset UpdatedAt,
    [property: Id(8)] string? ClaimedBy,
    [property: Id(9)] string? Note);

/// <summary>An operator acting on a wish: their token's subject and subdistrict.</summary>
[GenerateSerializer, Immutable, Alias("fc.WishOperator")]
public sealed record WishOperator([property: Id(0)] string OperatorId, [property: Id(1)] string SubdistrictId);

[GenerateSerializer, Alias("fc.WishOutcome")]
public enum WishOutcome
{
    Answered = 0,
    NotFound = 1,
    DifferentRequest = 2,
    UnknownSubdistrict = 3,
    /// <summary>An operator of another subdistrict than the wish's.</summary>
    WrongSubdistrict = 4,
    /// <summary>Another rider's wish, or a fulfilment by an operator who did not claim it.</summary>
    NotYours = 5,
    /// <summary>Another operator claimed it first.</summary>
    AlreadyClaimed = 6,
    /// <summary>The step does not follow from the wish's status.</summary>
    Illegal = 7,
}

[GenerateSerializer, Immutable, Alias("fc.WishResult")]
public sealed record WishResult([property: Id(0)] WishOutcome Outcome, [property: Id(1)] WishView? Wish);

public static class WishLimits
{
    public const int MaxTextLength = 200;
    public const int MaxNoteLength = 500;
}

/// <summary>
/// One micro-wish, keyed by its id. Not reentrant: claims are decided one at a time, so exactly one operator wins.
/// Every step notifies the rider and updates the subdistrict's and the rider's wish lists through its outbox.
/// </summary>
[Alias("fc.IWishGrain")]
public interface IWishGrain : IGrainWithStringKey
{
    /// <summary>Posts the wish (status open). A repeat with the same fingerprint returns the first result.</summary>
    [Alias("Post")]
    Task<WishResult> PostAsync(NewWish wish);

    /// <returns>Null for an id that was never posted.</returns>
    [Alias("Get")]
    Task<WishView?> GetAsync();

    /// <summary>Open -> claimed, by an operator of the wish's subdistrict. The claimer repeating it is answered; anyone else: AlreadyClaimed.</summary>
    [Alias("Claim")]
    Task<WishResult> ClaimAsync(WishOperator by);

    /// <summary>Claimed -> fulfilled, by the claimer only.</summary>
    [Alias("Fulfil")]
    Task<WishResult> FulfilAsync(WishOperator by);

    /// <summary>Fulfilled -> closed, by the rider who posted it.</summary>
    [Alias("Confirm")]
    Task<WishResult> ConfirmAsync(string riderId);

    /// <summary>Open or claimed -> rejected with a note, by an operator of the wish's subdistrict.</summary>
    [Alias("Reject")]
    Task<WishResult> RejectAsync(WishOperator by, string note);
}

/// <summary>
/// A list of wishes (a subdistrict's, or one rider's; see <see cref="WishLists"/>), kept current by each wish's outbox:
/// the latest view of every wish on it.
/// </summary>
[Alias("fc.IWishListGrain")]
public interface IWishListGrain : IGrainWithStringKey
{
    [Alias("Update")]
    Task UpdateAsync(WishView wish);

    /// <summary>Oldest first; only those with <paramref name="status"/> when given.</summary>
    [Alias("List")]
    Task<IReadOnlyList<WishView>> ListAsync(WishStatus? status, int page, int pageSize);
}

/// <summary>The keys of the wish lists: the prefixes keep a subdistrict's list and a rider's apart whatever their ids.</summary>
public static class WishLists
{
    public static string OfSubdistrict(string subdistrictId) => "subdistrict/" + subdistrictId;

    public static string OfRider(string riderId) => "rider/" + riderId;
}
