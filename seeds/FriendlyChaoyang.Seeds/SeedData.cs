using System.Text;
using FriendlyChaoyang.Catalog;
using FriendlyChaoyang.Stations;

namespace FriendlyChaoyang.Seeds;

/// <summary>The seed tables, parsed once on first use from the CSV files embedded in this assembly.</summary>
public static class SeedData
{
    private static readonly Lazy<IReadOnlyList<Subdistrict>> _subdistricts =
        new(() => [.. Load(SeedCsv.SubdistrictsFile, SeedCsv.ReadSubdistricts).Select(row => row.Subdistrict)]);

    private static readonly Lazy<IReadOnlyList<StationDefinition>> _stations = new(LoadStations);

    private static readonly Lazy<IReadOnlyList<IssueCategory>> _issueCategories =
        new(() => Load(SeedCsv.IssueCategoriesFile, SeedCsv.ReadIssueCategories));

    private static readonly Lazy<IReadOnlyList<Reward>> _rewards = new(() => Load(SeedCsv.RewardsFile, SeedCsv.ReadRewards));

    /// <summary>Chaoyang's 43 subdistricts with their centres.</summary>
    public static IReadOnlyList<Subdistrict> Subdistricts => _subdistricts.Value;

    /// <summary>The all-time rest stations (synthetic positions and capacities).</summary>
    public static IReadOnlyList<StationDefinition> Stations => _stations.Value;

    /// <summary>The categories of reportable hazards.</summary>
    public static IReadOnlyList<IssueCategory> IssueCategories => _issueCategories.Value;

    /// <summary>The rewards catalogue.</summary>
    public static IReadOnlyList<Reward> Rewards => _rewards.Value;

    private static IReadOnlyList<StationDefinition> LoadStations()
    {
        var stations = Load(SeedCsv.StationsFile, SeedCsv.ReadStations);
        var subdistrictIds = Subdistricts.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var orphan = stations.FirstOrDefault(s => !subdistrictIds.Contains(s.SubdistrictId));
        return orphan is null
            ? stations
            : throw new InvalidDataException($"{SeedCsv.StationsFile}: station '{orphan.Id}' names unknown subdistrict '{orphan.SubdistrictId}'.");
    }

    private static IReadOnlyList<T> Load<T>(string resourceName, Func<TextReader, IReadOnlyList<T>> read)
    {
        var assembly = typeof(SeedData).Assembly;
        using var stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"Embedded resource '{resourceName}' is missing from {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return read(reader);
    }
}
