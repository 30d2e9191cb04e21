namespace FriendlyChaoyang.Seeds.Generator;

/// <summary>The writing half of <see cref="CsvReader"/>'s format.</summary>
internal static class CsvWriter
{
    private static readonly char[] _needsQuotes = [',', '"', '\r', '\n'];

    /// <summary>The field as it must appear in a record: quoted only when it holds a separator, quote or line break.</summary>
    public static string Field(string value) =>
        value.IndexOfAny(_needsQuotes) < 0 ? value : '"' + value.Replace("\"", "\"\"", StringComparison.Ordinal) + '"';
}
