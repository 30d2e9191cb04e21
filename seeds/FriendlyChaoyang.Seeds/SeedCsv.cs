using System.Collections.ObjectModel;

namespace FriendlyChaoyang.Seeds;

/// <summary>Maps the seed CSV files to records. Shared with the generator, which reads the files from disk.</summary>
internal static class SeedCsv
{
    public const string SubdistrictsFile = "subdistricts.csv";
    public const string StationsFile = "stations.csv";
    public const string IssueCategoriesFile = "issue-categories.csv";
    public const string RewardsFile = "rewards.csv";

    public static IReadOnlyList<SubdistrictSeed> ReadSubdistricts(TextReader reader) =>
        Read(reader, SubdistrictsFile, row => new SubdistrictSeed(
            row.GetRequiredString("id"),
            row.GetRequiredString("name_zh"),
            row.GetRequiredString("name_pinyin"),
            row.GetRequiredString("kind"),
            row.GetDouble("lat"),
            row.GetDouble("lon"),
            row.GetString("coord_source")));

    public static IReadOnlyList<StationSeed> ReadStations(TextReader reader) =>
        Read(reader, StationsFile, row => new StationSeed(
            row.GetRequiredString("id"),
            row.GetRequiredString("name_zh"),
            row.GetRequiredString("name_en"),
            row.GetRequiredString("subdistrict_id"),
            row.GetDouble("lat"),
            row.GetDouble("lon"),
            row.GetBoolean("open24h"),
            row.GetInt32("seats"),
            row.GetInt32("charging_ports"),
            row.GetInt32("swap_ports"),
            Array.AsReadOnly(row.GetString("amenities").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))));

    public static IReadOnlyList<IssueCategorySeed> ReadIssueCategories(TextReader reader) =>
        Read(reader, IssueCategoriesFile, row => new IssueCategorySeed(
            row.GetRequiredString("id"),
            row.GetRequiredString("name_zh"),
            row.GetRequiredString("name_en"),
            row.GetInt32("response_minutes"),
            row.GetInt32("resolve_hours")));

    public static IReadOnlyList<RewardSeed> ReadRewards(TextReader reader) =>
        Read(reader, RewardsFile, row => new RewardSeed(
            row.GetRequiredString("id"),
            row.GetRequiredString("name_zh"),
            row.GetRequiredString("name_en"),
            row.GetInt32("cost"),
            row.GetString("partner")));

    // Ids become grain keys, so a duplicate would silently merge two seeds into one grain.
    private static ReadOnlyCollection<T> Read<T>(TextReader reader, string sourceName, Func<CsvRow, T> map)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var items = new List<T>();
        foreach (var row in CsvReader.ReadWithHeader(reader, sourceName))
        {
            if (!seen.Add(row.GetString("id")))
            {
                throw row.Error($"id '{row.GetString("id")}' appears twice");
            }

            items.Add(map(row));
        }

        return items.AsReadOnly();
    }
}
