using System.Globalization;
using FriendlyChaoyang.Catalog;
using FriendlyChaoyang.Stations;
using nietras.SeparatedValues;

namespace FriendlyChaoyang.Seeds;

/// <summary>A subdistricts.csv row: the contract record, plus its kind ("street" 街道 or "area" 地区), which only the station generator weighs.</summary>
public sealed record SubdistrictRow(Subdistrict Subdistrict, string Kind);

/// <summary>
/// Reads the seed CSV files (RFC 4180 with a header row) into contract records. Strict: a malformed row, an empty
/// required field, a bad number or a repeated id throws <see cref="InvalidDataException"/> naming the file and line,
/// so a bad edit fails at start instead of seeding half the data.
/// </summary>
public static class SeedCsv
{
    public const string SubdistrictsFile = "subdistricts.csv";
    public const string StationsFile = "stations.csv";
    public const string IssueCategoriesFile = "issue-categories.csv";
    public const string RewardsFile = "rewards.csv";

    public static IReadOnlyList<SubdistrictRow> ReadSubdistricts(TextReader text) =>
        Read(text, SubdistrictsFile, row => new SubdistrictRow(
            new Subdistrict(Required(row, "id"), Required(row, "name_zh"), Required(row, "name_pinyin"), Number<double>(row, "lat"), Number<double>(row, "lon")),
            Required(row, "kind")));

    public static IReadOnlyList<StationDefinition> ReadStations(TextReader text) =>
        Read(text, StationsFile, row => new StationDefinition(
            Required(row, "id"),
            Required(row, "name_zh"),
            Required(row, "subdistrict_id"),
            Number<double>(row, "lat"),
            Number<double>(row, "lon"),
            row["open24h"].TryParse<bool>() ?? throw new FormatException($"column 'open24h': '{row["open24h"].ToString()}' is not true or false"),
            Number<int>(row, "seats"),
            Number<int>(row, "charging_ports"),
            Number<int>(row, "swap_ports"),
            Array.AsReadOnly(row["amenities"].ToString().Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))));

    public static IReadOnlyList<IssueCategory> ReadIssueCategories(TextReader text) =>
        Read(text, IssueCategoriesFile, row => new IssueCategory(
            Required(row, "id"), Required(row, "name_zh"), Number<int>(row, "response_minutes"), Number<int>(row, "resolve_hours")));

    public static IReadOnlyList<Reward> ReadRewards(TextReader text) =>
        Read(text, RewardsFile, row => new Reward(Required(row, "id"), Required(row, "name_zh"), Number<int>(row, "cost")));

    // Ids become grain keys, so a duplicate would silently merge two seeds into one grain.
    private static System.Collections.ObjectModel.ReadOnlyCollection<T> Read<T>(TextReader text, string file, Func<SepReader.Row, T> map)
    {
        using var reader = Sep.New(',').Reader(o => o with { Unescape = true, CultureInfo = CultureInfo.InvariantCulture }).From(text);
        if (reader.Header.IsEmpty)
        {
            throw new InvalidDataException($"{file}: the file is empty; expected a header row");
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var items = new List<T>();
        foreach (var row in reader)
        {
            try
            {
                if (!seen.Add(row["id"].ToString()))
                {
                    throw new FormatException($"id '{row["id"].ToString()}' appears twice");
                }
                items.Add(map(row));
            }
            catch (Exception e) when (e is FormatException or KeyNotFoundException)
            {
                throw new InvalidDataException($"{file}, line {row.LineNumberFrom}: {e.Message}", e);
            }
        }
        return items.AsReadOnly();
    }

    private static string Required(SepReader.Row row, string column)
    {
        var value = row[column].ToString();
        return string.IsNullOrWhiteSpace(value) ? throw new FormatException($"column '{column}' is empty") : value;
    }

    private static T Number<T>(SepReader.Row row, string column) where T : struct, ISpanParsable<T>, System.Numerics.INumberBase<T> =>
        row[column].TryParse<T>() is { } value && T.IsFinite(value)
            ? value
            : throw new FormatException($"column '{column}': '{row[column].ToString()}' is not a finite number");
}
