using System.Collections;
using System.Globalization;
using System.Management.Automation;
using MLNetNN.PowerShell.Data;
using MLNetNN.PowerShell.Output;

namespace MLNetNN.PowerShell.Cmdlets;

/// <summary>
/// Looks inside PowerShell objects the general way, for any kind of object: turns a pipeline object into the name/value pairs
/// the SMA-free row classes read, and reads and returns prediction rows that <see cref="PredictionRows"/> does not take its
/// faster way.
/// </summary>
internal static class PSObjectRows
{
    /// <summary>
    /// A dictionary's entries (a plain hashtable's sorted by key, since its order is arbitrary and the feature order should
    /// not be), or any other object's gettable properties: note properties of [pscustomobject] and Import-Csv rows, .NET
    /// properties of anything else.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, object?>> Properties(PSObject row)
    {
        if (row.BaseObject is IDictionary dictionary)
        {
            var pairs = dictionary.Cast<DictionaryEntry>()
                .Select(e => new KeyValuePair<string, object?>(Convert.ToString(e.Key, CultureInfo.InvariantCulture) ?? "", Unwrap(e.Value)));
            return dictionary is Hashtable ? pairs.OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase).ToList() : pairs.ToList();
        }
        return row.Properties
            .Where(p => p.IsGettable && (p.MemberType & PSMemberTypes.Properties) != 0)
            .Select(p => new KeyValuePair<string, object?>(p.Name, Unwrap(p.Value)))
            .ToList();
    }

    /// <summary>
    /// Reads the <paramref name="features"/> of one row into <paramref name="values"/>, looking each up by name (case-insensitively,
    /// as <c>$row.Name</c> does) without first listing every property of the row, which costs more than the prediction.
    /// </summary>
    /// <exception cref="RowFormatException">The row lacks a feature or holds a value that is not a number.</exception>
    public static void ReadFeatures(PSObject row, IReadOnlyList<string> features, Span<float> values, int number)
    {
        if (row.BaseObject is IDictionary)
        {
            // Dictionaries are rare here and their keys' comparer is theirs to choose: index them the one tested way.
            var index = RowValues.Index(Properties(row));
            for (int j = 0; j < features.Count; j++)
            {
                if (!index.TryGetValue(features[j], out object? value)) throw RowValues.MissingFeature(number, features[j], features);
                values[j] = RowValues.ToFeature(value, number, features[j]);
            }
            return;
        }
        for (int j = 0; j < features.Count; j++)
        {
            var property = row.Properties[features[j]];
            if (property is null || !property.IsGettable) throw RowValues.MissingFeature(number, features[j], features);
            values[j] = RowValues.ToFeature(Unwrap(property.Value), number, features[j]);
        }
    }

    /// <summary>
    /// The input row with the prediction's properties added, as a new object so the caller's data is left as it was (and can
    /// be predicted again); a row the cmdlet made itself (<paramref name="owned"/>) gets them directly. A dictionary becomes
    /// a [pscustomobject] with its entries as properties.
    /// </summary>
    public static PSObject Merge(PSObject row, PredictionBatch batch, int index, string typeName, bool owned = false)
    {
        PSObject result;
        if (row.BaseObject is IDictionary)
        {
            result = new PSObject();
            foreach (var (name, value) in Properties(row)) result.Properties.Add(new PSNoteProperty(name, value));
        }
        else
        {
            result = owned ? row : row.Copy();
        }
        var names = batch.PropertyNames;
        for (int p = 0; p < names.Count; p++)
        {
            // Looking the name up in the row and adding unchecked costs less than the checked add, which searches more
            // widely; it is what keeps the cmdlet's cost per row near the engine's.
            if (result.Properties[names[p]] is not null) result.Properties.Remove(names[p]);
            result.Properties.Add(new PSNoteProperty(names[p], batch.Value(index, p)), preValidated: true);
        }
        result.TypeNames.Insert(0, typeName);
        return result;
    }

    /// <summary>A property's value, unwrapped from the PSObject PowerShell may have put around it (but a [pscustomobject] stays one).</summary>
    internal static object? Unwrap(object? value) => value is PSObject { BaseObject: not PSCustomObject } wrapped ? wrapped.BaseObject : value;
}
