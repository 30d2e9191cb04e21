namespace FriendlyChaoyang.Books;

[GenerateSerializer, Alias("fc.RiderLoansState")]
public sealed class RiderLoansState
{
    /// <summary>Books lent to the rider, or being lent: an id is recorded before the book is asked, so a crash never lets a loan go uncounted.</summary>
    [Id(0)] public HashSet<string> BookIds { get; set; } = [];
}
