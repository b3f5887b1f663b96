using System.Text;

namespace MLNetNN.Data;

/// <summary>
/// Splits delimited text into records following RFC 4180: fields may be quoted, a quoted field may hold the
/// separator, line breaks and doubled quotes (""), and whitespace around unquoted values and around quoted
/// fields is dropped. Blank lines are skipped. Line numbers are 1-based physical lines, so errors point at
/// what an editor shows. Text the reader's decoder cannot decode, and a byte-order mark still at the start of the text,
/// raise <see cref="CsvFormatException"/>.
/// </summary>
internal sealed class CsvRecordReader
{
    private readonly TextReader _reader;
    private readonly string _sourceName;
    private readonly char _separator;
    private readonly StringBuilder _quoted = new();
    private int _physicalLine;

    public CsvRecordReader(TextReader reader, string sourceName, char separator)
    {
        _reader = reader;
        _sourceName = sourceName;
        _separator = separator;
    }

    /// <summary>The 1-based line on which the record last returned by <see cref="TryRead"/> starts.</summary>
    public int RecordLine { get; private set; }

    /// <summary>Column names used in error messages once the header is known; fields past them are named by position.</summary>
    public IReadOnlyList<string>? ColumnNames { get; set; }

    /// <summary>Reads the next non-blank record into <paramref name="fields"/>; false at the end of the input.</summary>
    public bool TryRead(List<string> fields)
    {
        string? line;
        do
        {
            line = NextLine();
            if (line is null) return false;
            _physicalLine++;
            // The reader removed the byte-order mark it recognised; one left over would become part of the first column's name.
            if (_physicalLine == 1 && line.StartsWith('\uFEFF'))
            {
                throw new CsvFormatException(_sourceName, 1, null, null,
                    "the text starts with a byte-order mark (U+FEFF) after the encoding's own: the file has two, or was read without " +
                    "removing its own. Remove the extra mark.");
            }
        }
        while (IsBlank(line));

        RecordLine = _physicalLine;
        fields.Clear();
        int pos = 0;
        while (true)
        {
            while (pos < line.Length && IsPadding(line[pos])) pos++;
            if (pos < line.Length && line[pos] == '"')
            {
                fields.Add(ReadQuoted(ref line, ref pos, fields.Count));
                while (pos < line.Length && IsPadding(line[pos])) pos++;
                if (pos == line.Length) return true;
                if (line[pos] != _separator)
                {
                    throw new CsvFormatException(_sourceName, _physicalLine, ColumnName(fields.Count - 1), fields[^1],
                        $"unexpected character '{line[pos]}' after a closing quote; expected '{_separator}' or the end of the line.");
                }
                pos++;
            }
            else
            {
                int end = line.IndexOf(_separator, pos);
                if (end < 0) end = line.Length;
                int stop = end;
                while (stop > pos && IsPadding(line[stop - 1])) stop--;
                fields.Add(line[pos..stop]);
                if (end == line.Length) return true;
                pos = end + 1;
            }
        }
    }

    /// <summary>Reads a quoted field whose opening quote is at <paramref name="pos"/>, continuing onto further lines if the quotes span them.</summary>
    private string ReadQuoted(ref string line, ref int pos, int fieldIndex)
    {
        _quoted.Clear();
        pos++;
        while (true)
        {
            if (pos == line.Length)
            {
                string? next = NextLine()
                    ?? throw new CsvFormatException(_sourceName, RecordLine, ColumnName(fieldIndex), null,
                        "a quoted field is not closed before the end of the file.");
                _physicalLine++;
                _quoted.Append('\n');
                line = next;
                pos = 0;
                continue;
            }

            char c = line[pos++];
            if (c != '"')
            {
                _quoted.Append(c);
            }
            else if (pos < line.Length && line[pos] == '"')
            {
                _quoted.Append('"');
                pos++;
            }
            else
            {
                return _quoted.ToString();
            }
        }
    }

    private string? NextLine()
    {
        try
        {
            return _reader.ReadLine();
        }
        catch (DecoderFallbackException e)
        {
            // The decoder works a buffer ahead of the lines handed out, so the bytes may lie a few lines further on.
            string bytes = string.Join(" ", (e.BytesUnknown ?? []).Select(b => $"0x{b:X2}"));
            throw new CsvFormatException(_sourceName, _physicalLine + 1, null, null,
                $"the text cannot be decoded: bytes {bytes} on this line or soon after are not valid in its encoding.", e);
        }
    }

    private string ColumnName(int index) =>
        ColumnNames is { } names && index < names.Count ? names[index] : $"#{index + 1}";

    // A tab separator must not be eaten as padding.
    private bool IsPadding(char c) => c != _separator && (c == ' ' || c == '\t');

    private bool IsBlank(string line)
    {
        foreach (char c in line)
        {
            if (!IsPadding(c)) return false;
        }
        return true;
    }
}
