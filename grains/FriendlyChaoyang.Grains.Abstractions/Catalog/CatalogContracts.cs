namespace FriendlyChaoyang.Catalog;

[GenerateSerializer, Immutable, Alias("fc.IssueCategory")]
public sealed record IssueCategory(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] int ResponseMinutes,
    [property: Id(3)] int ResolveHours);

[GenerateSerializer, Immutable, Alias("fc.Reward")]
public sealed record Reward([property: Id(0)] string Id, [property: Id(1)] string Name, [property: Id(2)] int Cost);

[GenerateSerializer, Immutable, Alias("fc.Subdistrict")]
public sealed record Subdistrict(
    [property: Id(0)] string Id,
    [property: Id(1)] string NameZh,
    [property: Id(2)] string NamePinyin,
    [property: Id(3)] double Lat,
    [property: Id(4)] double Lon);

/// <summary>The read-only catalogues loaded from seeds/: categories, rewards, subdistricts. Any silo answers.</summary>
[Alias("fc.ICatalogGrain")]
public interface ICatalogGrain : IGrainWithIntegerKey
{
    [Alias("GetIssueCategories")]
    Task<IReadOnlyList<IssueCategory>> GetIssueCategoriesAsync();

    [Alias("GetRewards")]
    Task<IReadOnlyList<Reward>> GetRewardsAsync();

    [Alias("GetSubdistricts")]
    Task<IReadOnlyList<Subdistrict>> GetSubdistrictsAsync();
}
