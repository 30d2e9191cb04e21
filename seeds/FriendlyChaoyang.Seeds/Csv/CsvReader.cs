using System.Text;

namespace FriendlyChaoyang.Seeds;

/// <summary>
/// Reads RFC 4180 CSV: comma-separated, fields optionally in double quotes, a doubled quote inside quotes is
/// one quote, and quoted fields may hold commas and line breaks. The first record is the header.
/// </summary>
public static class CsvReader
{
    /// <summary>Reads a header record and the data records under it; blank lines are skipped.</summary>
    /// <param name="reader">The CSV text.</param>
    /// <param name="sourceName">A name for error messages, e.g. the file name.</param>
    /// <exception cref="CsvFormatException">The text is not well-formed CSV, or a record's field count differs from the header's.</exception>
    public static IReadOnlyList<CsvRow> ReadWithHeader(TextReader reader, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(sourceName);

        var records = new Parser(reader, sourceName).ReadAll();
        if (records.Count == 0)
        {
            throw new CsvFormatException(sourceName, 1, "the file is empty; expected a header record");
        }

        var (headerLine, header) = records[0];
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++)
        {
            if (!columns.TryAdd(header[i], i))
            {
                throw new CsvFormatException(sourceName, headerLine, $"column '{header[i]}' appears twice in the header");
            }
        }

        var rows = new List<CsvRow>(records.Count - 1);
        foreach (var (line, fields) in records.Skip(1))
        {
            if (fields.Length != header.Length)
            {
                throw new CsvFormatException(sourceName, line, $"expected {header.Length} fields as in the header, found {fields.Length}");
            }

            rows.Add(new CsvRow(sourceName, line, columns, fields));
        }

        return rows.AsReadOnly();
    }

    private sealed class Parser(TextReader reader, string sourceName)
    {
        private readonly List<(int Line, string[] Fields)> _records = [];
        private readonly List<string> _fields = [];
        private readonly StringBuilder _field = new();
        private int _line = 1;
        private int _recordLine = 1;

        // True once the current field has any content or an opening quote, so an empty line can be told apart
        // from a record holding one empty quoted field.
        private bool _fieldStarted;
        private bool _fieldWasQuoted;

        public List<(int Line, string[] Fields)> ReadAll()
        {
            int next;
            while ((next = reader.Read()) != -1)
            {
                var c = (char)next;
                switch (c)
                {
                    case '"' when !_fieldStarted:
                        _fieldStarted = true;
                        _fieldWasQuoted = true;
                        ReadQuotedField();
                        break;
                    case '"':
                        throw Error(_line, "a quote inside an unquoted field (quote the whole field and double the inner quote)");
                    case ',':
                        EndField();
                        break;
                    case '\r':
                        if (reader.Peek() == '\n')
                        {
                            reader.Read();
                        }

                        EndRecord();
                        break;
                    case '\n':
                        EndRecord();
                        break;
                    default:
                        if (_fieldWasQuoted)
                        {
                            throw Error(_line, "text after the closing quote of a quoted field");
                        }

                        _fieldStarted = true;
                        _field.Append(c);
                        break;
                }
            }

            // The last record may lack a trailing line break.
            EndRecord();
            return _records;
        }

        private void ReadQuotedField()
        {
            int next;
            while ((next = reader.Read()) != -1)
            {
                var c = (char)next;
                if (c == '"')
                {
                    if (reader.Peek() != '"')
                    {
                        return;
                    }

                    reader.Read();
                }
                else if (c == '\n')
                {
                    _line++;
                }

                _field.Append(c);
            }

            throw Error(_recordLine, "a quoted field is never closed");
        }

        private void EndField()
        {
            _fields.Add(_field.ToString());
            _field.Clear();
            _fieldStarted = false;
            _fieldWasQuoted = false;
        }

        private void EndRecord()
        {
            var blankLine = _fields.Count == 0 && !_fieldStarted;
            if (!blankLine)
            {
                EndField();
                _records.Add((_recordLine, _fields.ToArray()));
                _fields.Clear();
            }

            _line++;
            _recordLine = _line;
        }

        private CsvFormatException Error(int line, string message) => new(sourceName, line, message);
    }
}
