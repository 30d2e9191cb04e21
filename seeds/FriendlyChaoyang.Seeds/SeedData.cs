using System.Text;

namespace FriendlyChaoyang.Seeds;

/// <summary>
/// The seed tables, parsed once on first use from the CSV files embedded in this assembly.
/// </summary>
public static class SeedData
{
    private static readonly Lazy<IReadOnlyList<SubdistrictSeed>> _subdistricts =
        new(() => Load(SeedCsv.SubdistrictsFile, SeedCsv.ReadSubdistricts));

    private static readonly Lazy<IReadOnlyList<StationSeed>> _stations = new(LoadStations);

    private static readonly Lazy<IReadOnlyList<IssueCategorySeed>> _issueCategories =
        new(() => Load(SeedCsv.IssueCategoriesFile, SeedCsv.ReadIssueCategories));

    private static readonly Lazy<IReadOnlyList<RewardSeed>> _rewards =
        new(() => Load(SeedCsv.RewardsFile, SeedCsv.ReadRewards));

    /// <summary>Chaoyang's 43 subdistricts with their centres.</summary>
    public static IReadOnlyList<SubdistrictSeed> Subdistricts => _subdistricts.Value;

    /// <summary>The all-time rest stations (synthetic positions and capacities).</summary>
    public static IReadOnlyList<StationSeed> Stations => _stations.Value;

    /// <summary>The categories of reportable hazards.</summary>
    public static IReadOnlyList<IssueCategorySeed> IssueCategories => _issueCategories.Value;

    /// <summary>The rewards catalogue.</summary>
    public static IReadOnlyList<RewardSeed> Rewards => _rewards.Value;

    /// <summary>
    /// The subdistrict whose centre is nearest by great-circle distance: the routing rule for reports until real
    /// boundaries are available. Outside Chaoyang it still answers with the closest subdistrict.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The coordinates are not a valid WGS84 position.</exception>
    public static SubdistrictSeed NearestSubdistrict(double lat, double lon)
    {
        // NaN would compare false against every distance and quietly pick the first subdistrict.
        if (!(lat is >= -90 and <= 90))
        {
            throw new ArgumentOutOfRangeException(nameof(lat), lat, "Latitude must be between -90 and 90 degrees.");
        }

        if (!(lon is >= -180 and <= 180))
        {
            throw new ArgumentOutOfRangeException(nameof(lon), lon, "Longitude must be between -180 and 180 degrees.");
        }

        return GeoMath.NearestSubdistrict(Subdistricts, lat, lon);
    }

    private static IReadOnlyList<StationSeed> LoadStations()
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
