namespace FriendlyChaoyang.Seeds;

/// <summary>A CSV file that cannot be read as the expected table; the message names the file and line.</summary>
public sealed class CsvFormatException : FormatException
{
    /// <summary>Creates the exception for <paramref name="lineNumber"/> (1-based) of <paramref name="sourceName"/>.</summary>
    public CsvFormatException(string sourceName, int lineNumber, string message)
        : base($"{sourceName}, line {lineNumber}: {message}")
    {
        SourceName = sourceName;
        LineNumber = lineNumber;
    }

    /// <summary>The file or resource name that was being read.</summary>
    public string SourceName { get; }

    /// <summary>The 1-based line on which the offending record starts.</summary>
    public int LineNumber { get; }
}
