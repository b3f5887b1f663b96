using System.Globalization;

namespace MLNetNN.Data;

/// <summary>How class labels become class indices, the same for every loader (CSV, PowerShell objects, ...).</summary>
public static class ClassLabels
{
    /// <summary>
    /// The distinct labels in class-index order, as scikit-learn's LabelEncoder orders them: numerically when every label is a
    /// finite number (invariant culture), so "10" follows "9"; otherwise by ordinal string comparison.
    /// </summary>
    public static string[] Order(IEnumerable<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var distinct = labels.Distinct(StringComparer.Ordinal).ToArray();
        var numeric = new double[distinct.Length];
        bool allNumeric = true;
        for (int i = 0; i < distinct.Length && allNumeric; i++)
            allNumeric = double.TryParse(distinct[i], NumberStyles.Float, CultureInfo.InvariantCulture, out numeric[i]) && double.IsFinite(numeric[i]);
        int[] order = Enumerable.Range(0, distinct.Length).ToArray();
        Array.Sort(order, allNumeric
            ? (a, b) => numeric[a] != numeric[b] ? numeric[a].CompareTo(numeric[b]) : string.CompareOrdinal(distinct[a], distinct[b])
            : (a, b) => string.CompareOrdinal(distinct[a], distinct[b]));
        return order.Select(i => distinct[i]).ToArray();
    }
}
