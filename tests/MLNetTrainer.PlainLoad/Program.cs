// Usage: MLNetNN.MLNet.PlainLoad <model zip> <data in ML.NET binary format> <binary|multiclass|regression> <column>...
// Loads the model with plain ml.Model.Load in a fresh MLContext and uses it as an ML.NET application would, printing:
//   - the transformed data's named columns, one row per line, the columns separated by " | " and a vector's values by spaces
//     (floats round-trip exact, keys as their raw number);
//   - "evaluate: name=value ..." from the task's ML.NET evaluator over the transformed data;
//   - "engine: ..." for every row, the task's standard columns (binary Score | Probability | PredictedLabel, multiclass
//     Score | PredictedLabel, regression Score) as a PredictionEngine gives them, row by row.
// Exits with 3 if anything of MLNetNN was loaded: the point is that ML.NET alone reads and uses the file.
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

if (args.Length < 4 || args[2] is not ("binary" or "multiclass" or "regression"))
{
    Console.Error.WriteLine("usage: MLNetNN.MLNet.PlainLoad <model zip> <binary data file> <binary|multiclass|regression> <column>...");
    return 2;
}
var ml = new MLContext();
var model = ml.Model.Load(args[0], out _);
var data = ml.Data.LoadFromBinary(args[1]);
var scored = model.Transform(data);
var columns = args[3..].Select(name => scored.Schema[name]).ToArray();
using (var cursor = scored.GetRowCursor(columns))
{
    var readers = columns.Select(c => Reader(cursor, c)).ToArray();
    while (cursor.MoveNext())
        Console.WriteLine(string.Join(" | ", readers.Select(read => read())));
}

(string Name, double Value)[] metrics = args[2] switch
{
    "binary" => Binary(ml.BinaryClassification.Evaluate(scored)),
    "multiclass" => Multiclass(ml.MulticlassClassification.Evaluate(scored)),
    _ => Regression(ml.Regression.Evaluate(scored)),
};
Console.WriteLine("evaluate: " + string.Join(' ', metrics.Select(m => $"{m.Name}={m.Value.ToString("R", CultureInfo.InvariantCulture)}")));

// The rows a PredictionEngine is given are read from the data file as the application's own row class.
var lines = args[2] switch
{
    "binary" => Predict<FeatureRow, BinaryPrediction>(ml, model, data, FeatureRow.Definition(data.Schema), p => [Text(p.Score), Text(p.Probability), p.PredictedLabel.ToString()]),
    "multiclass" => Predict<IrisRow, MulticlassPrediction>(ml, model, data, null, p => [TextOf(p.Score), p.PredictedLabel.ToString(CultureInfo.InvariantCulture)]),
    _ => Predict<FeatureRow, RegressionPrediction>(ml, model, data, FeatureRow.Definition(data.Schema), p => [Text(p.Score)]),
};
foreach (string line in lines) Console.WriteLine("engine: " + line);

var foreign = AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name).Where(n => n?.StartsWith("MLNetNN.", StringComparison.Ordinal) == true && n != "MLNetNN.MLNet.PlainLoad").ToArray();
if (foreign.Length > 0)
{
    Console.Error.WriteLine($"MLNetNN assemblies were loaded: {string.Join(", ", foreign)}");
    return 3;
}
return 0;

static List<string> Predict<TRow, TPrediction>(MLContext ml, ITransformer model, IDataView data, SchemaDefinition? definition, Func<TPrediction, string[]> fields)
    where TRow : class, new() where TPrediction : class, new()
{
    var engine = ml.Model.CreatePredictionEngine<TRow, TPrediction>(model, inputSchemaDefinition: definition);
    return ml.Data.CreateEnumerable<TRow>(data, reuseRowObject: false, ignoreMissingColumns: true, schemaDefinition: definition)
        .Select(row => string.Join(" | ", fields(engine.Predict(row))))
        .ToList();
}

static (string, double)[] Binary(CalibratedBinaryClassificationMetrics m) =>
    [("Accuracy", m.Accuracy), ("AreaUnderRocCurve", m.AreaUnderRocCurve), ("LogLoss", m.LogLoss)];

static (string, double)[] Multiclass(MulticlassClassificationMetrics m) =>
    [("MacroAccuracy", m.MacroAccuracy), ("MicroAccuracy", m.MicroAccuracy), ("LogLoss", m.LogLoss)];

static (string, double)[] Regression(RegressionMetrics m) => [("RootMeanSquaredError", m.RootMeanSquaredError), ("RSquared", m.RSquared)];

static string Text(float value) => value.ToString("R", CultureInfo.InvariantCulture);

static string TextOf(float[] values) => string.Join(' ', values.Select(Text));

static Func<string> Reader(DataViewRowCursor cursor, DataViewSchema.Column column)
{
    switch (column.Type)
    {
        case VectorDataViewType { ItemType: var item } when item.RawType == typeof(float):
        {
            var get = cursor.GetGetter<VBuffer<float>>(column);
            var value = new VBuffer<float>();
            return () => { get(ref value); return TextOf(value.DenseValues().ToArray()); };
        }
        case NumberDataViewType when column.Type.RawType == typeof(float):
        {
            var get = cursor.GetGetter<float>(column);
            return () => { float v = 0; get(ref v); return Text(v); };
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

/// <summary>A row of a data file whose features are one vector column, <c>Features</c>, of the size the file has.</summary>
internal sealed class FeatureRow
{
    public float[] Features { get; set; } = [];

    public static SchemaDefinition Definition(DataViewSchema schema)
    {
        var definition = SchemaDefinition.Create(typeof(FeatureRow));
        definition[nameof(Features)].ColumnType = schema["Features"].Type;
        return definition;
    }
}

/// <summary>An Iris row as the data file holds it: four measurements and the species.</summary>
internal sealed class IrisRow
{
    public float SepalLength { get; set; }
    public float SepalWidth { get; set; }
    public float PetalLength { get; set; }
    public float PetalWidth { get; set; }
    public string Species { get; set; } = "";
}

internal sealed class BinaryPrediction
{
    public float Score { get; set; }
    public float Probability { get; set; }
    public bool PredictedLabel { get; set; }
}

internal sealed class MulticlassPrediction
{
    public float[] Score { get; set; } = [];
    public uint PredictedLabel { get; set; }
}

internal sealed class RegressionPrediction
{
    public float Score { get; set; }
}
