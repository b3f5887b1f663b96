using System.Globalization;
using MLNetNN.Data;

namespace MLNetNN.PowerShell.Data;

/// <summary>
/// Reads feature and label values out of one row's properties, with PowerShell's forgiving typing but none of its culture
/// dependence: text is parsed with the invariant culture (so "5.1" means 5.1 on every machine, as Import-Csv delivers it),
/// numbers of any .NET numeric type are taken as they are, and anything else is an error that names the row and column.
/// </summary>
public static class RowValues
{
    /// <summary>
    /// The row's properties keyed by name, case-insensitively as PowerShell resolves property names. A later property of the
    /// same name (differing only in case) wins, as it would for <c>$row.Name</c>.
    /// </summary>
    public static Dictionary<string, object?> Index(IEnumerable<KeyValuePair<string, object?>> row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var index = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in row) index[name] = value;
        return index;
    }

    /// <summary>The error for a row that lacks feature <paramref name="column"/>, listing every feature the model reads.</summary>
    public static RowFormatException MissingFeature(int row, string column, IReadOnlyList<string> features) =>
        new(row, column, null, $"the row has no column '{column}'; the model reads {string.Join(", ", features.Select(n => $"'{n}'"))}.");

    /// <summary>A feature value as a finite float.</summary>
    /// <exception cref="RowFormatException">The value is missing, empty, not a number, or not finite.</exception>
    public static float ToFeature(object? value, int row, string column)
    {
        float number = value switch
        {
            null or DBNull => throw new RowFormatException(row, column, value, "the value is empty; expected a number."),
            string text => Parse(text, row, column),
            bool b => b ? 1f : 0f,
            float f => f,
            double d => (float)d,
            decimal m => (float)m,
            sbyte or byte or short or ushort or int or uint or long or ulong => Convert.ToSingle(value, CultureInfo.InvariantCulture),
            _ => throw new RowFormatException(row, column, value, $"a value of type {value.GetType().Name} ('{Shown(value.ToString() ?? "")}') is not a number."),
        };
        if (!float.IsFinite(number))
            throw new RowFormatException(row, column, value, $"{Describe(value)} is not a finite 32-bit number; NaN, infinities and values beyond ±3.4E+38 are not allowed.");
        return number;
    }

    /// <summary>
    /// A class label as text: strings trimmed, numbers and dates in the invariant culture, anything else by its ToString.
    /// Any type works, as long as equal labels give equal text.
    /// </summary>
    /// <exception cref="RowFormatException">The label is missing or empty.</exception>
    public static string ToClassLabel(object? value, int row, string column)
    {
        string text = value switch
        {
            null or DBNull => "",
            string s => s.Trim(),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        if (text.Length == 0) throw new RowFormatException(row, column, value, "the label is empty; every row needs a class label.");
        return text;
    }

    private static float Parse(string text, int row, string column)
    {
        string trimmed = text.Trim();
        if (trimmed.Length == 0) throw new RowFormatException(row, column, text, "the value is empty; expected a number.");
        if (!float.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out float value))
            throw new RowFormatException(row, column, text, $"'{Shown(text)}' is not a number (numbers are read with '.' as the decimal point).");
        return value;
    }

    private static string Describe(object value) => value is string s ? $"'{Shown(s)}'" : Shown(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");

    /// <summary>A value as a message shows it: whole when short, else its start and length, so a 10 MB cell does not make a 10 MB error.</summary>
    internal static string Shown(string text) => CsvFormatException.Excerpt(text);
}
