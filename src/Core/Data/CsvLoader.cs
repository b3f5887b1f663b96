using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace MLNetNN.Data;

/// <summary>
/// Loads delimited text files (CSV, TSV, …) into a <see cref="Dataset"/>.
/// </summary>
/// <remarks>
/// <para>The format follows RFC 4180: a header row by default, fields optionally quoted (a quoted field may hold
/// the separator, line breaks and doubled quotes), whitespace around unquoted values trimmed, blank lines
/// skipped. Numbers are parsed with <see cref="CultureInfo.InvariantCulture"/> and
/// <see cref="NumberStyles.Float"/>, so '.' is always the decimal point; NaN and infinities are rejected
/// because they would poison training silently.</para>
/// <para>Classification labels may be any non-empty strings. Classes are ordered like scikit-learn's
/// LabelEncoder: numerically when every label parses as a number (so "10" comes after "9"), otherwise by
/// ordinal string comparison. Pass <see cref="CsvReadOptions.ClassNames"/> to reuse a training set's mapping.</para>
/// <para>Files are read as strict UTF-8 unless <see cref="CsvReadOptions.Encoding"/> says otherwise; a byte-order mark
/// (UTF-8, UTF-16 or UTF-32) at the start is honoured and removed. A second byte-order mark left at the start of the text
/// (a file saved twice with one, or text read without removing its own) is an error rather than part of the first
/// column's name.</para>
/// <para>Every problem in the file raises a <see cref="CsvFormatException"/> naming the source, line, column
/// and value; inconsistent options raise <see cref="ArgumentException"/>.</para>
/// </remarks>
public static class CsvLoader
{
    /// <summary>Loads a delimited text file.</summary>
    /// <param name="path">The file to read (see <see cref="CsvReadOptions.Encoding"/>).</param>
    /// <param name="labelColumn">The name of the label column (ColumnN when the file has no header).</param>
    /// <param name="kind">Whether the label holds classes or numeric targets.</param>
    /// <param name="options">Separator, column selection, weights and class mapping; null for the defaults.</param>
    /// <exception cref="CsvFormatException">The file's content does not fit (see <see cref="CsvLoader"/>).</exception>
    /// <exception cref="ArgumentException">The options contradict each other.</exception>
    public static Dataset Load(string path, string labelColumn, LabelKind kind, CsvReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new CsvReadOptions();
        using var reader = OpenText(path, options);
        try
        {
            return Load(reader, path, labelColumn, kind, options);
        }
        catch (CsvFormatException e) when (e.InnerException is DecoderFallbackException && options.Encoding is null)
        {
            throw LocateInvalidUtf8(path) ?? e;
        }
    }

    /// <summary>Loads delimited text from a reader, e.g. over an embedded resource.</summary>
    /// <param name="reader">The text to read; it is read to the end but not disposed.</param>
    /// <param name="sourceName">The name used in error messages, e.g. the resource's file name.</param>
    /// <param name="labelColumn">The name of the label column (ColumnN when the text has no header).</param>
    /// <param name="kind">Whether the label holds classes or numeric targets.</param>
    /// <param name="options">Separator, column selection, weights and class mapping; null for the defaults.</param>
    /// <exception cref="CsvFormatException">The content does not fit (see <see cref="CsvLoader"/>).</exception>
    /// <exception cref="ArgumentException">The options contradict each other.</exception>
    public static Dataset Load(TextReader reader, string sourceName, string labelColumn, LabelKind kind, CsvReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentException.ThrowIfNullOrEmpty(sourceName);
        ArgumentException.ThrowIfNullOrEmpty(labelColumn);
        options ??= new CsvReadOptions();
        ValidateOptions(options, labelColumn, kind);

        var records = new CsvRecordReader(reader, sourceName, options.Separator);
        var fields = new List<string>();
        string[] header = ReadHeader(records, fields, sourceName, options);
        int headerLine = options.HasHeader ? records.RecordLine : 0;
        var layout = ColumnLayout.Resolve(header, headerLine, sourceName, labelColumn, options);
        var builder = new RowBuilder(sourceName, header, layout, kind, options.ClassNames);

        // Without a header the first record is already data.
        if (!options.HasHeader) builder.Add(fields, records.RecordLine);
        while (records.TryRead(fields)) builder.Add(fields, records.RecordLine);

        if (builder.Rows == 0)
            throw new CsvFormatException(sourceName, 0, null, null, $"the file has a header (line {headerLine}) but no data rows.");
        return builder.Build();
    }

    /// <summary>
    /// Reads only the column names of a delimited text file (Column0, Column1, … when
    /// <see cref="CsvReadOptions.HasHeader"/> is false), e.g. to let a user pick the label column.
    /// </summary>
    /// <exception cref="CsvFormatException">The file is empty or its header is invalid.</exception>
    public static IReadOnlyList<string> ReadHeader(string path, CsvReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new CsvReadOptions();
        ValidateSeparator(options.Separator);
        using var reader = OpenText(path, options);
        try
        {
            return ReadHeader(new CsvRecordReader(reader, path, options.Separator), new List<string>(), path, options);
        }
        catch (CsvFormatException e) when (e.InnerException is DecoderFallbackException && options.Encoding is null)
        {
            throw LocateInvalidUtf8(path) ?? e;
        }
    }

    /// <summary>
    /// Strict UTF-8 that throws on bytes that are not UTF-8. It carries the UTF-8 preamble because StreamReader then removes a
    /// UTF-8 byte-order mark itself and keeps this decoder; detecting the mark instead would switch to the lenient
    /// <see cref="Encoding.UTF8"/>.
    /// </summary>
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: true, throwOnInvalidBytes: true);

    /// <summary>The file as text: strict UTF-8 (a byte-order mark removed), or <see cref="CsvReadOptions.Encoding"/>.</summary>
    internal static StreamReader OpenText(string path, CsvReadOptions options) =>
        new(path, options.Encoding ?? StrictUtf8, detectEncodingFromByteOrderMarks: true);

    /// <summary>
    /// Finds the first byte of <paramref name="path"/> that is not UTF-8 and the physical line it is on (line breaks counted as
    /// <see cref="TextReader.ReadLine"/> counts them). Only called once decoding has failed: the decoder works ahead of the
    /// record being parsed, so its exception alone cannot say which line is at fault.
    /// </summary>
    private static CsvFormatException? LocateInvalidUtf8(string path)
    {
        using var file = File.OpenRead(path);
        var bytes = new byte[1 << 16];
        var chars = new char[bytes.Length];
        int carried = 0, line = 1;
        long offset = 0;
        byte previous = 0;
        while (true)
        {
            int length = carried + file.ReadAtLeast(bytes.AsSpan(carried), bytes.Length - carried, throwOnEndOfStream: false);
            bool final = length < bytes.Length;
            OperationStatus status = Utf8.ToUtf16(bytes.AsSpan(0, length), chars, out int consumed, out _, replaceInvalidSequences: false, isFinalBlock: final);
            foreach (byte b in bytes.AsSpan(0, consumed))
            {
                if (b == '\r' || (b == '\n' && previous != '\r')) line++;
                previous = b;
            }
            if (status == OperationStatus.InvalidData)
            {
                return new CsvFormatException(path, line, null, null,
                    $"byte 0x{bytes[consumed]:X2} (at byte offset {offset + consumed}) is not valid UTF-8. If the file is in another encoding, " +
                    "e.g. Latin-1 or Windows-1252 as older Excel versions save, give it as CsvReadOptions.Encoding.");
            }
            if (final) return null;
            offset += consumed;
            carried = length - consumed;
            bytes.AsSpan(consumed, carried).CopyTo(bytes);
        }
    }

    private static string[] ReadHeader(CsvRecordReader records, List<string> fields, string sourceName, CsvReadOptions options)
    {
        if (!records.TryRead(fields))
        {
            throw new CsvFormatException(sourceName, 0, null, null,
                options.HasHeader ? "the file is empty; expected a header row." : "the file is empty; expected at least one data row.");
        }

        string[] header = options.HasHeader
            ? fields.ToArray()
            : Enumerable.Range(0, fields.Count).Select(i => $"Column{i}").ToArray();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < header.Length; i++)
        {
            if (header[i].Length == 0)
                throw new CsvFormatException(sourceName, records.RecordLine, null, null, $"header field {i + 1} is empty; every column needs a name.");
            if (!seen.TryAdd(header[i], i))
            {
                throw new CsvFormatException(sourceName, records.RecordLine, header[i], header[i],
                    $"the column name appears twice (fields {seen[header[i]] + 1} and {i + 1}); column names must be unique.");
            }
        }
        records.ColumnNames = header;
        return header;
    }

    private static void ValidateOptions(CsvReadOptions options, string labelColumn, LabelKind kind)
    {
        ValidateSeparator(options.Separator);
        if (!Enum.IsDefined(kind)) throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown label kind.");

        var labels = new List<string> { labelColumn };
        if (options.AdditionalLabelColumns is { Count: > 0 } extra)
        {
            if (kind != LabelKind.Regression)
                throw new ArgumentException("Additional label columns are only valid for regression; a classification label is a single column.", nameof(options));
            labels.AddRange(extra);
        }
        RequireDistinct(labels, "label column");
        if (options.ClassNames is not null)
        {
            if (kind != LabelKind.Classification)
                throw new ArgumentException("ClassNames apply only to classification.", nameof(options));
            if (options.ClassNames.Count == 0) throw new ArgumentException("ClassNames is empty; give at least one class or leave it null.", nameof(options));
            RequireDistinct(options.ClassNames, "class name");
        }
        if (options.WeightColumn is { } weight && labels.Contains(weight, StringComparer.Ordinal))
            throw new ArgumentException($"Column '{weight}' cannot be both a label and the weight column.", nameof(options));
        if (options.FeatureColumns is { } features)
        {
            if (features.Count == 0) throw new ArgumentException("FeatureColumns is empty; give at least one column or leave it null for all.", nameof(options));
            RequireDistinct(features, "feature column");
            foreach (string f in features)
            {
                if (labels.Contains(f, StringComparer.Ordinal) || f == options.WeightColumn)
                    throw new ArgumentException($"Column '{f}' is listed as a feature but is also a label or the weight column.", nameof(options));
            }
        }
    }

    private static void ValidateSeparator(char separator)
    {
        if (separator is '"' or '\r' or '\n')
            throw new ArgumentException($"The separator cannot be a quote or a line break (got U+{(int)separator:X4}).", "options");
    }

    private static void RequireDistinct(IReadOnlyList<string> names, string what)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string name in names)
        {
            if (string.IsNullOrEmpty(name)) throw new ArgumentException($"A {what} name is null or empty.", "options");
            if (!seen.Add(name)) throw new ArgumentException($"The {what} '{name}' is listed twice.", "options");
        }
    }

    /// <summary>Where each role's columns sit in a record.</summary>
    private sealed record ColumnLayout(int[] Features, int[] Labels, int Weight)
    {
        public static ColumnLayout Resolve(string[] header, int headerLine, string sourceName, string labelColumn, CsvReadOptions options)
        {
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i < header.Length; i++) index[header[i]] = i;

            int Find(string name, string role) => index.TryGetValue(name, out int i)
                ? i
                : throw new CsvFormatException(sourceName, headerLine, name, null,
                    $"{role} column not found; available columns: {CsvFormatException.Excerpt(string.Join(", ", header), 500)}.");

            var labels = new List<int> { Find(labelColumn, "label") };
            foreach (string extra in options.AdditionalLabelColumns ?? []) labels.Add(Find(extra, "label"));
            int weight = options.WeightColumn is { } w ? Find(w, "weight") : -1;

            int[] features;
            if (options.FeatureColumns is { } chosen)
            {
                features = chosen.Select(f => Find(f, "feature")).ToArray();
            }
            else
            {
                features = Enumerable.Range(0, header.Length).Where(i => !labels.Contains(i) && i != weight).ToArray();
                if (features.Length == 0)
                    throw new CsvFormatException(sourceName, headerLine, null, null, "no feature columns are left after the label and weight columns.");
            }
            return new ColumnLayout(features, labels.ToArray(), weight);
        }
    }

    /// <summary>Parses records one by one into growing buffers, then encodes the classes once all labels are known.</summary>
    private sealed class RowBuilder
    {
        private readonly string _sourceName;
        private readonly string[] _header;
        private readonly ColumnLayout _layout;
        private readonly LabelKind _kind;
        private readonly IReadOnlyList<string>? _fixedClasses;
        private readonly Dictionary<string, int> _classIndex = new(StringComparer.Ordinal);
        private readonly List<string> _classesSeen = [];
        private readonly List<float> _features = [];
        private readonly List<float> _labels = [];
        private readonly List<float>? _weights;

        public RowBuilder(string sourceName, string[] header, ColumnLayout layout, LabelKind kind, IReadOnlyList<string>? fixedClasses)
        {
            _sourceName = sourceName;
            _header = header;
            _layout = layout;
            _kind = kind;
            _fixedClasses = fixedClasses;
            _weights = layout.Weight >= 0 ? [] : null;
            if (fixedClasses is not null)
            {
                for (int i = 0; i < fixedClasses.Count; i++) _classIndex[fixedClasses[i]] = i;
            }
        }

        public int Rows { get; private set; }

        public void Add(List<string> fields, int line)
        {
            if (fields.Count != _header.Length)
            {
                string detail = fields.Count < _header.Length
                    ? $"column '{CsvFormatException.Excerpt(_header[fields.Count])}' onwards is missing"
                    : "there are more fields than columns (a stray separator, or an unquoted value containing one?)";
                throw new CsvFormatException(_sourceName, line, null, null, $"expected {_header.Length} fields, got {fields.Count}; {detail}.");
            }

            foreach (int j in _layout.Features) _features.Add(ParseNumber(fields[j], line, _header[j]));
            if (_kind == LabelKind.Regression)
            {
                foreach (int j in _layout.Labels) _labels.Add(ParseNumber(fields[j], line, _header[j]));
            }
            else
            {
                _labels.Add(ClassOf(fields[_layout.Labels[0]], line, _header[_layout.Labels[0]]));
            }
            if (_weights is not null)
            {
                string column = _header[_layout.Weight];
                float w = ParseNumber(fields[_layout.Weight], line, column);
                if (w < 0) throw new CsvFormatException(_sourceName, line, column, fields[_layout.Weight], $"weight {CsvFormatException.Excerpt(fields[_layout.Weight])} is negative; weights must be ≥ 0.");
                _weights.Add(w);
            }
            Rows++;
        }

        public Dataset Build()
        {
            float[] labels = _labels.ToArray();
            IReadOnlyList<string>? classNames = null;
            if (_kind == LabelKind.Classification)
            {
                classNames = _fixedClasses?.ToArray() ?? EncodeClasses(labels);
            }
            return new Dataset(_features.ToArray(), Rows, _layout.Features.Length, labels, _layout.Labels.Length,
                _weights?.ToArray(), _layout.Features.Select(j => _header[j]).ToArray(), classNames);
        }

        /// <summary>
        /// Returns the row's class index: final with a fixed class list, otherwise provisional (order of first
        /// appearance) until <see cref="EncodeClasses"/> renumbers it.
        /// </summary>
        private float ClassOf(string text, int line, string column)
        {
            if (text.Length == 0) throw new CsvFormatException(_sourceName, line, column, text, "the label is empty; every row needs a class label.");
            if (_classIndex.TryGetValue(text, out int index)) return index;
            if (_fixedClasses is not null)
            {
                throw new CsvFormatException(_sourceName, line, column, text,
                    $"'{CsvFormatException.Excerpt(text)}' is not one of the known classes: {CsvFormatException.Excerpt(string.Join(", ", _fixedClasses), 500)}.");
            }
            index = _classesSeen.Count;
            _classesSeen.Add(text);
            _classIndex.Add(text, index);
            return index;
        }

        /// <summary>Orders the classes as <see cref="ClassLabels.Order"/> does and renumbers <paramref name="labels"/> in place.</summary>
        private string[] EncodeClasses(float[] labels)
        {
            string[] ordered = ClassLabels.Order(_classesSeen);
            var rank = new float[ordered.Length];
            for (int r = 0; r < ordered.Length; r++) rank[_classIndex[ordered[r]]] = r;
            for (int i = 0; i < labels.Length; i++) labels[i] = rank[(int)labels[i]];
            return ordered;
        }

        private float ParseNumber(string text, int line, string column)
        {
            if (text.Length == 0) throw new CsvFormatException(_sourceName, line, column, text, "the value is empty; expected a number.");
            if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value))
                throw new CsvFormatException(_sourceName, line, column, text, $"'{CsvFormatException.Excerpt(text)}' is not a number.");
            if (!float.IsFinite(value))
            {
                string shown = CsvFormatException.Excerpt(text);
                bool outOfRange = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double wide) && double.IsFinite(wide);
                throw new CsvFormatException(_sourceName, line, column, text, outOfRange
                    ? $"'{shown}' is outside the range of a 32-bit float (±3.4E+38)."
                    : $"'{shown}' is not a finite number; NaN and infinities are not allowed.");
            }
            return value;
        }
    }
}
