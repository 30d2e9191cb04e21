using System.Globalization;

namespace FriendlyChaoyang.Seeds;

/// <summary>One data record of a CSV table, read by column name. Values parse with the invariant culture.</summary>
public sealed class CsvRow
{
    private readonly IReadOnlyDictionary<string, int> _columns;
    private readonly string[] _fields;

    internal CsvRow(string sourceName, int lineNumber, IReadOnlyDictionary<string, int> columns, string[] fields)
    {
        SourceName = sourceName;
        LineNumber = lineNumber;
        _columns = columns;
        _fields = fields;
    }

    /// <summary>The file or resource the row came from.</summary>
    public string SourceName { get; }

    /// <summary>The 1-based line on which the record starts.</summary>
    public int LineNumber { get; }

    /// <summary>The raw text of <paramref name="column"/>.</summary>
    /// <exception cref="CsvFormatException">The header has no such column.</exception>
    public string GetString(string column) =>
        _columns.TryGetValue(column, out var index)
            ? _fields[index]
            : throw Error($"the header has no column '{column}'");

    /// <summary>The text of <paramref name="column"/>, which must not be empty or blank.</summary>
    public string GetRequiredString(string column)
    {
        var value = GetString(column);
        return string.IsNullOrWhiteSpace(value) ? throw Error($"column '{column}' is empty") : value;
    }

    /// <summary><paramref name="column"/> as a whole number.</summary>
    public int GetInt32(string column)
    {
        var value = GetString(column);
        return int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var result)
            ? result
            : throw Error($"column '{column}': '{value}' is not a whole number");
    }

    /// <summary><paramref name="column"/> as a finite number with '.' as the decimal separator.</summary>
    public double GetDouble(string column)
    {
        var value = GetString(column);
        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var result) && double.IsFinite(result)
            ? result
            : throw Error($"column '{column}': '{value}' is not a finite number");
    }

    /// <summary><paramref name="column"/> as <c>true</c> or <c>false</c> (any letter case).</summary>
    public bool GetBoolean(string column)
    {
        var value = GetString(column);
        return bool.TryParse(value, out var result)
            ? result
            : throw Error($"column '{column}': '{value}' is not true or false");
    }

    /// <summary>An error about this row, naming its file and line, for checks made by the caller.</summary>
    public CsvFormatException Error(string message) => new(SourceName, LineNumber, message);
}
