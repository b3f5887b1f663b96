namespace MLNetNN.Data;

/// <summary>
/// Reads a delimited text file one record at a time, for callers that act on each row as it is read (predicting a file
/// too large to hold, emitting results before the end) rather than loading a <see cref="Dataset"/>. Records are split and
/// the header is checked exactly as <see cref="CsvLoader"/> does; values are left as text for the caller to interpret.
/// </summary>
public sealed class CsvRowReader : IDisposable
{
    private readonly StreamReader _reader;
    private readonly CsvRecordReader _records;

    private CsvRowReader(string path, CsvReadOptions options)
    {
        // The header is read and checked (non-empty, unique names) by the loader's own code; this reader then skips it.
        Columns = CsvLoader.ReadHeader(path, options);
        // Decoded as the loader decodes: bytes that are not UTF-8 are an error naming the line, never a silent U+FFFD.
        _reader = CsvLoader.OpenText(path, options);
        _records = new CsvRecordReader(_reader, path, options.Separator);
        if (options.HasHeader) _records.TryRead([]);
        _records.ColumnNames = Columns;
        SourceName = path;
    }

    /// <summary>Opens <paramref name="path"/> and reads its header.</summary>
    /// <param name="path">The file to read (strict UTF-8 unless <see cref="CsvReadOptions.Encoding"/> names another encoding).</param>
    /// <param name="options">The separator, whether there is a header, and the encoding; the other options do not apply here.</param>
    /// <exception cref="CsvFormatException">The file is empty or its header is invalid.</exception>
    public static CsvRowReader Open(string path, CsvReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new CsvRowReader(path, options ?? new CsvReadOptions());
    }

    /// <summary>The column names, from the header (Column0, Column1, … without one).</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The file, as named in errors.</summary>
    public string SourceName { get; }

    /// <summary>The 1-based line on which the record last returned by <see cref="TryRead"/> starts.</summary>
    public int Line => _records.RecordLine;

    /// <summary>
    /// Reads the next non-blank record into <paramref name="fields"/>; false at the end of the file. The number of fields is
    /// not checked against <see cref="Columns"/>: the caller decides what a short or long record means.
    /// </summary>
    /// <exception cref="CsvFormatException">The record is malformed (e.g. an unclosed quote).</exception>
    public bool TryRead(List<string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return _records.TryRead(fields);
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _reader.Dispose();
}
