using System.Collections;
using System.Globalization;
using System.Management.Automation;

namespace MLNetNN.PowerShell.Cmdlets;

/// <summary>
/// The one place that looks inside PowerShell objects: turns a pipeline object into the name/value pairs the SMA-free
/// row classes read.
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
    /// The input row with the prediction's properties added, as a new object so the caller's data is left as it was (and can
    /// be predicted again). A dictionary becomes a [pscustomobject] with its entries as properties.
    /// </summary>
    public static PSObject Merge(PSObject row, IReadOnlyList<KeyValuePair<string, object?>> added, string typeName)
    {
        PSObject result;
        if (row.BaseObject is IDictionary)
        {
            result = new PSObject();
            foreach (var (name, value) in Properties(row)) result.Properties.Add(new PSNoteProperty(name, value));
        }
        else
        {
            result = row.Copy();
        }
        foreach (var (name, value) in added)
        {
            if (result.Properties[name] is not null) result.Properties.Remove(name);
            result.Properties.Add(new PSNoteProperty(name, value));
        }
        result.TypeNames.Insert(0, typeName);
        return result;
    }

    private static object? Unwrap(object? value) => value is PSObject { BaseObject: not PSCustomObject } wrapped ? wrapped.BaseObject : value;
}
