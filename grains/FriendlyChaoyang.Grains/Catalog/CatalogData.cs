using System.Collections.Frozen;
using FriendlyChaoyang.Geo;

namespace FriendlyChaoyang.Catalog;

/// <summary>
/// The read-only catalogues every silo holds in memory: issue categories, rewards and subdistricts. The silo builds
/// the one instance (from the seed files) and injects it; it is the only way grains reach reference data.
/// </summary>
public sealed class CatalogData
{
    private readonly FrozenDictionary<string, IssueCategory> _categories;
    private readonly FrozenDictionary<string, Reward> _rewards;

    public CatalogData(IReadOnlyList<IssueCategory> issueCategories, IReadOnlyList<Reward> rewards, IReadOnlyList<Subdistrict> subdistricts)
    {
        ArgumentNullException.ThrowIfNull(issueCategories);
        ArgumentNullException.ThrowIfNull(rewards);
        ArgumentNullException.ThrowIfNull(subdistricts);
        if (subdistricts.Count == 0)
        {
            throw new ArgumentException("Reports need at least one subdistrict to be routed to.", nameof(subdistricts));
        }
        IssueCategories = issueCategories;
        Rewards = rewards;
        Subdistricts = subdistricts;
        _categories = issueCategories.ToFrozenDictionary(c => c.Id, StringComparer.Ordinal);
        _rewards = rewards.ToFrozenDictionary(r => r.Id, StringComparer.Ordinal);
    }

    public IReadOnlyList<IssueCategory> IssueCategories { get; }

    public IReadOnlyList<Reward> Rewards { get; }

    public IReadOnlyList<Subdistrict> Subdistricts { get; }

    public IssueCategory? FindIssueCategory(string id) => _categories.GetValueOrDefault(id);

    public Reward? FindReward(string id) => _rewards.GetValueOrDefault(id);

    /// <summary>Where a report is routed: the subdistrict with the nearest centre (until real boundaries are available).</summary>
    public Subdistrict NearestSubdistrict(double lat, double lon) => GeoMath.NearestSubdistrict(Subdistricts, lat, lon);
}
