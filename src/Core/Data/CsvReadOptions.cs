using System.Text;

namespace MLNetNN.Data;

/// <summary>How <see cref="CsvLoader"/> reads a delimited text file. The defaults read a comma-separated file with a header row.</summary>
public sealed class CsvReadOptions
{
    /// <summary>The field separator. Default ','. Must not be a quote or a line break.</summary>
    public char Separator { get; init; } = ',';

    /// <summary>
    /// The text encoding of a file, like pandas' <c>encoding=</c>, e.g. <see cref="System.Text.Encoding.Latin1"/> for files saved by
    /// older tools in Western Europe. Null (the default) means strict UTF-8: a byte sequence that is not UTF-8 is an error naming
    /// its line, rather than a U+FFFD that silently merges labels such as 'café' and 'cafè' into one class. A byte-order mark at
    /// the start of the file takes precedence either way. Unused when loading from a <see cref="TextReader"/>, which decodes itself.
    /// </summary>
    public Encoding? Encoding { get; init; }

    /// <summary>
    /// Whether the first non-empty line names the columns. Default true. Without a header the columns are
    /// named Column0, Column1, … and the label column must be given by such a name.
    /// </summary>
    public bool HasHeader { get; init; } = true;

    /// <summary>
    /// The feature columns, in the order they are stored. Null (the default) means every column except the
    /// label column(s) and the weight column, in file order.
    /// </summary>
    public IReadOnlyList<string>? FeatureColumns { get; init; }

    /// <summary>
    /// More target columns for multi-target regression, stored after the main label column in each label row;
    /// the data set's <see cref="Dataset.LabelWidth"/> is then 1 + this count. Only valid with
    /// <see cref="LabelKind.Regression"/>.
    /// </summary>
    public IReadOnlyList<string>? AdditionalLabelColumns { get; init; }

    /// <summary>An optional column of non-negative per-row weights. Null means every row weighs 1.</summary>
    public string? WeightColumn { get; init; }

    /// <summary>
    /// A fixed class list for classification, usually the training set's <see cref="Dataset.ClassNames"/>, so
    /// that a test file gets the same class indices even when it lacks some classes. A label not in the list is
    /// an error. Labels are matched exactly (ordinal, after trimming unquoted values), so "1" and "1.0" differ.
    /// Null (the default) derives the classes from the file.
    /// </summary>
    public IReadOnlyList<string>? ClassNames { get; init; }
}
