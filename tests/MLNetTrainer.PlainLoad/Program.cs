// Usage: MLNetNN.MLNet.PlainLoad <model zip> <data in ML.NET binary format> <column>...
// Loads the model with plain ml.Model.Load in a fresh MLContext, transforms the data and prints the columns' values, one row per
// line, the columns separated by " | " and a vector's values by spaces (floats round-trip exact, keys as their raw number).
// Exits with 3 if anything of MLNetNN was loaded: the point is that ML.NET alone reads the file.
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

if (args.Length < 3)
{
    Console.Error.WriteLine("usage: MLNetNN.MLNet.PlainLoad <model zip> <binary data file> <column>...");
    return 2;
}
var ml = new MLContext();
var model = ml.Model.Load(args[0], out _);
var scored = model.Transform(ml.Data.LoadFromBinary(args[1]));
var columns = args[2..].Select(name => scored.Schema[name]).ToArray();
using (var cursor = scored.GetRowCursor(columns))
{
    var readers = columns.Select(c => Reader(cursor, c)).ToArray();
    while (cursor.MoveNext())
        Console.WriteLine(string.Join(" | ", readers.Select(read => read())));
}
var foreign = AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name).Where(n => n?.StartsWith("MLNetNN.", StringComparison.Ordinal) == true && n != "MLNetNN.MLNet.PlainLoad").ToArray();
if (foreign.Length > 0)
{
    Console.Error.WriteLine($"MLNetNN assemblies were loaded: {string.Join(", ", foreign)}");
    return 3;
}
return 0;

static Func<string> Reader(DataViewRowCursor cursor, DataViewSchema.Column column)
{
    switch (column.Type)
    {
        case VectorDataViewType { ItemType: var item } when item.RawType == typeof(float):
        {
            var get = cursor.GetGetter<VBuffer<float>>(column);
            var value = new VBuffer<float>();
            return () => { get(ref value); return string.Join(' ', value.DenseValues().Select(v => v.ToString("R", CultureInfo.InvariantCulture))); };
        }
        case NumberDataViewType when column.Type.RawType == typeof(float):
        {
            var get = cursor.GetGetter<float>(column);
            return () => { float v = 0; get(ref v); return v.ToString("R", CultureInfo.InvariantCulture); };
        }
        case BooleanDataViewType:
        {
            var get = cursor.GetGetter<bool>(column);
            return () => { bool v = false; get(ref v); return v.ToString(); };
        }
        case KeyDataViewType when column.Type.RawType == typeof(uint):
        {
            var get = cursor.GetGetter<uint>(column);
            return () => { uint v = 0; get(ref v); return v.ToString(CultureInfo.InvariantCulture); };
        }
        case TextDataViewType:
        {
            var get = cursor.GetGetter<ReadOnlyMemory<char>>(column);
            return () => { ReadOnlyMemory<char> v = default; get(ref v); return v.ToString(); };
        }
        default:
            throw new NotSupportedException($"Column '{column.Name}' is of type {column.Type}, which this check does not print.");
    }
}
