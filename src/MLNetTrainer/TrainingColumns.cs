using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetNN.Training;

namespace MLNetNN.MLNet;

/// <summary>
/// The training columns of one data view, checked against what the task accepts (as ML.NET's trainers accept them), and the
/// conversion of each label to the engine's form: 0/1 for binary, the class index for multiclass, the value for regression;
/// NaN marks a missing label.
/// </summary>
internal sealed class TrainingColumns
{
    private TrainingColumns(TaskKind task, DataViewSchema.Column features, DataViewSchema.Column label, DataViewSchema.Column? weight)
    {
        Task = task;
        Features = features;
        Label = label;
        Weight = weight;
        FeatureCount = ((VectorDataViewType)features.Type).Size;
        ClassCount = task switch
        {
            TaskKind.BinaryClassification => 2,
            TaskKind.MulticlassClassification => checked((int)((KeyDataViewType)label.Type).Count),
            _ => 0,
        };
    }

    public TaskKind Task { get; }
    public DataViewSchema.Column Features { get; }
    public DataViewSchema.Column Label { get; }
    public DataViewSchema.Column? Weight { get; }
    public int FeatureCount { get; }
    public int ClassCount { get; }

    /// <summary>Resolves and checks the columns, throwing ML.NET-style schema errors.</summary>
    public static TrainingColumns Bind(TaskKind task, DataViewSchema schema, NeuralNetworkTrainerBase.OptionsBase options, int? featureCount = null)
    {
        const string param = "inputSchema";
        // An image's shape fixes the feature vector's size, so a mismatch is a schema error naming both sizes.
        var features = SchemaErrors.Features(schema, options.FeatureColumnName, featureCount ?? ShapeSize(options.InputShape), param);
        var label = schema.GetColumnOrNull(options.LabelColumnName) ?? throw SchemaErrors.Missing(param, "label", options.LabelColumnName);
        if (!LabelTypeAccepted(task, label.Type))
            throw SchemaErrors.Mismatch(param, "label", label.Name, ExpectedLabel(task), $"{label.Type}");
        if (label.Type is KeyDataViewType { Count: < 2 or > int.MaxValue } key)
            throw new ArgumentOutOfRangeException(param, $"The label column '{label.Name}' has {key.Count} key values; multiclass classification needs 2 to {int.MaxValue}.");
        return new TrainingColumns(task, features, label, SchemaErrors.Weight(schema, options.ExampleWeightColumnName, param));
    }

    /// <summary>The values a shape holds; null without a readable shape (the options refuse a bad one by name).</summary>
    private static int? ShapeSize(string? shape)
    {
        if (shape is null) return null;
        try
        {
            return Layers.LayerShape.Parse(shape).Size;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>The label types each task accepts, as ML.NET's trainers accept them.</summary>
    public static bool LabelTypeAccepted(TaskKind task, DataViewType type) => task switch
    {
        TaskKind.BinaryClassification => type == BooleanDataViewType.Instance || type == NumberDataViewType.Single,
        TaskKind.MulticlassClassification => type is KeyDataViewType,
        _ => type == NumberDataViewType.Single,
    };

    /// <summary>The expected label type as the schema errors name it.</summary>
    public static string ExpectedLabel(TaskKind task) => task switch
    {
        TaskKind.BinaryClassification => "Boolean or Single",
        TaskKind.MulticlassClassification => "Key (map the label with MapValueToKey)",
        _ => "Single",
    };

    /// <summary>The columns a training cursor needs.</summary>
    public IEnumerable<DataViewSchema.Column> Needed(DataViewSchema schema)
    {
        yield return schema[Features.Index];
        yield return schema[Label.Index];
        if (Weight is { } w) yield return schema[w.Index];
    }

    /// <summary>Reads the current row's label in the engine's form; NaN when it is missing.</summary>
    public Func<float> LabelReader(DataViewRow row)
    {
        var column = row.Schema[Label.Index];
        if (column.Type == BooleanDataViewType.Instance)
        {
            var getter = row.GetGetter<bool>(column);
            return () => { bool v = false; getter(ref v); return v ? 1f : 0f; };
        }
        if (Task == TaskKind.MulticlassClassification)
        {
            // Key value 0 is ML.NET's missing key; 1..K are the classes.
            var key = KeyReader(row, column);
            return () => { ulong k = key(); return k == 0 || k > (ulong)ClassCount ? float.NaN : k - 1; };
        }
        var single = row.GetGetter<float>(column);
        if (Task == TaskKind.BinaryClassification)
            return () => { float v = 0; single(ref v); return float.IsNaN(v) ? float.NaN : v > 0 ? 1f : 0f; };
        return () => { float v = 0; single(ref v); return float.IsFinite(v) ? v : float.NaN; };
    }

    private static Func<ulong> KeyReader(DataViewRow row, DataViewSchema.Column column)
    {
        switch (column.Type.RawType)
        {
            case var t when t == typeof(byte): { var g = row.GetGetter<byte>(column); return () => { byte v = 0; g(ref v); return v; }; }
            case var t when t == typeof(ushort): { var g = row.GetGetter<ushort>(column); return () => { ushort v = 0; g(ref v); return v; }; }
            case var t when t == typeof(uint): { var g = row.GetGetter<uint>(column); return () => { uint v = 0; g(ref v); return v; }; }
            default: { var g = row.GetGetter<ulong>(column); return () => { ulong v = 0; g(ref v); return v; }; }
        }
    }

    /// <summary>The label's class names for the engine's model: the key values as text, else 1..K.</summary>
    public IReadOnlyList<string> ClassNames()
    {
        if (Task == TaskKind.BinaryClassification) return ["False", "True"];
        var names = Enumerable.Range(1, ClassCount).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var keyValues = Label.Annotations.Schema.GetColumnOrNull(AnnotationNames.KeyValues);
        if (keyValues?.Type is VectorDataViewType { Size: var size } && size == ClassCount)
        {
            var values = KeyValueStrings(Label.Annotations, keyValues.Value);
            for (int i = 0; i < ClassCount; i++) names[i] = values[i];
        }
        return names;
    }

    private static string[] KeyValueStrings(DataViewSchema.Annotations annotations, DataViewSchema.Column column)
    {
        var method = typeof(TrainingColumns).GetMethod(nameof(ReadStrings), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
        return (string[])method.MakeGenericMethod(((VectorDataViewType)column.Type).ItemType.RawType).Invoke(null, [annotations, column.Name])!;
    }

    private static string[] ReadStrings<T>(DataViewSchema.Annotations annotations, string name)
    {
        VBuffer<T> values = default;
        annotations.GetValue(name, ref values);
        return values.DenseValues().Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "").ToArray();
    }

    /// <summary>The feature names from the column's slot names, or null when it has none.</summary>
    public IReadOnlyList<string>? FeatureNames()
    {
        var slotNames = Features.Annotations.Schema.GetColumnOrNull(AnnotationNames.SlotNames);
        if (slotNames?.Type is not VectorDataViewType { ItemType: TextDataViewType, Size: var size } || size != FeatureCount) return null;
        VBuffer<ReadOnlyMemory<char>> names = default;
        Features.Annotations.GetValue(AnnotationNames.SlotNames, ref names);
        return names.DenseValues().Select((n, i) => n.IsEmpty ? $"f{i}" : n.ToString()).ToArray();
    }
}
