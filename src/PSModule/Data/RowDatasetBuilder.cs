using MLNetNN.Data;

namespace MLNetNN.PowerShell.Data;

/// <summary>
/// Collects rows as they come down the pipeline (Import-Csv rows, [pscustomobject]s, hashtables, any object's properties)
/// and turns them into a <see cref="Dataset"/>: the counterpart of <see cref="CsvLoader"/> for objects instead of text.
/// </summary>
/// <remarks>
/// Feature columns default to every property of the first row except the label, in the first row's order. Property names
/// match case-insensitively, as in PowerShell. Every problem raises a <see cref="RowFormatException"/> naming the row and column.
/// </remarks>
public sealed class RowDatasetBuilder
{
    private readonly string _label;
    private readonly LabelKind _kind;
    private readonly IReadOnlyList<string>? _fixedClasses;
    private readonly Dictionary<string, int>? _classIndex;
    private readonly List<float> _features = [];
    private readonly List<string> _classLabels = [];
    private readonly List<float> _targets = [];
    private string[]? _featureColumns;

    /// <summary>Prepares to read rows.</summary>
    /// <param name="labelColumn">The property holding the label (class or regression target).</param>
    /// <param name="kind">Whether the label holds classes or numeric targets.</param>
    /// <param name="featureColumns">The feature properties in order; null for every property of the first row except the label.</param>
    /// <param name="classNames">A fixed class list (a trained model's), so evaluation data gets the model's class indices; null derives the classes from the rows.</param>
    /// <exception cref="ArgumentException">The columns contradict each other.</exception>
    public RowDatasetBuilder(string labelColumn, LabelKind kind, IReadOnlyList<string>? featureColumns = null, IReadOnlyList<string>? classNames = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(labelColumn);
        if (!Enum.IsDefined(kind)) throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown label kind.");
        _label = labelColumn;
        _kind = kind;
        if (featureColumns is not null)
        {
            if (featureColumns.Count == 0) throw new ArgumentException("The feature list is empty; name at least one column, or leave it out to use every column but the label.", nameof(featureColumns));
            var duplicate = featureColumns.GroupBy(f => f, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null) throw new ArgumentException($"The feature '{duplicate.Key}' is listed twice.", nameof(featureColumns));
            if (featureColumns.Contains(labelColumn, StringComparer.OrdinalIgnoreCase))
                throw new ArgumentException($"'{labelColumn}' is the label; it cannot also be a feature.", nameof(featureColumns));
            _featureColumns = featureColumns.ToArray();
        }
        if (classNames is not null)
        {
            if (kind != LabelKind.Classification) throw new ArgumentException("A class list applies only to classification.", nameof(classNames));
            _fixedClasses = classNames;
            _classIndex = classNames.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        }
    }

    /// <summary>Rows added so far.</summary>
    public int Rows { get; private set; }

    /// <summary>The feature columns: as given, or taken from the first row once it has been added (null before).</summary>
    public IReadOnlyList<string>? FeatureColumns => _featureColumns;

    /// <summary>Adds the next row.</summary>
    /// <exception cref="RowFormatException">The row lacks the label or a feature, or a value is not usable.</exception>
    public void Add(IEnumerable<KeyValuePair<string, object?>> row)
    {
        ArgumentNullException.ThrowIfNull(row);
        int number = Rows + 1;
        var values = RowValues.Index(row);
        _featureColumns ??= FirstRowFeatures(values, number);

        if (!values.TryGetValue(_label, out object? label))
            throw new RowFormatException(number, _label, null, $"the row has no label column '{_label}'; its columns are {Columns(values)}.");
        if (_kind == LabelKind.Classification)
        {
            string text = RowValues.ToClassLabel(label, number, _label);
            if (_classIndex is not null && !_classIndex.ContainsKey(text))
                throw new RowFormatException(number, _label, label, $"'{RowValues.Shown(text)}' is not one of the model's classes: {CsvFormatException.Excerpt(string.Join(", ", _fixedClasses!), 500)}.");
            _classLabels.Add(text);
        }
        else
        {
            _targets.Add(RowValues.ToFeature(label, number, _label));
        }

        foreach (string column in _featureColumns)
        {
            if (!values.TryGetValue(column, out object? value))
                throw new RowFormatException(number, column, null, $"the row has no column '{column}'; its columns are {Columns(values)}.");
            _features.Add(RowValues.ToFeature(value, number, column));
        }
        Rows = number;
    }

    /// <summary>The rows as a data set; class indices follow <see cref="ClassLabels.Order"/> unless a class list was given.</summary>
    /// <exception cref="InvalidOperationException">No rows were added.</exception>
    public Dataset Build()
    {
        if (Rows == 0) throw new InvalidOperationException("No rows were given: pipe in objects (e.g. from Import-Csv) or give -Path.");
        if (_kind == LabelKind.Regression)
            return new Dataset(_features.ToArray(), Rows, _featureColumns!.Length, _targets.ToArray(), featureNames: _featureColumns);

        IReadOnlyList<string> classes = _fixedClasses ?? ClassLabels.Order(_classLabels);
        var index = _classIndex ?? classes.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        var labels = _classLabels.Select(l => (float)index[l]).ToArray();
        return new Dataset(_features.ToArray(), Rows, _featureColumns!.Length, labels, featureNames: _featureColumns, classNames: classes);
    }

    private string[] FirstRowFeatures(Dictionary<string, object?> values, int row)
    {
        var features = values.Keys.Where(k => !string.Equals(k, _label, StringComparison.OrdinalIgnoreCase)).ToArray();
        if (features.Length == 0)
            throw new RowFormatException(row, null, null, $"the row has no columns besides the label '{_label}'; a network needs at least one feature.");
        return features;
    }

    private static string Columns(Dictionary<string, object?> values) =>
        values.Count == 0 ? "none" : string.Join(", ", values.Keys.Select(k => $"'{k}'"));
}
