using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetNN.Training;

namespace MLNetNN.MLNet;

/// <summary>
/// A <see cref="NeuralNetworkTransformer"/> bound to one input schema: the output schema (every input column, then the added
/// score columns, hiding same-named inputs as ML.NET's scorers do) and the annotations ML.NET's scorers put on them.
/// </summary>
internal sealed class ScoringBinding
{
    /// <summary>What an added column holds.</summary>
    internal enum Output { PredictedLabelBool, PredictedLabelKey, Score, ScoreVector, Probability }

    private ScoringBinding(NeuralNetworkTransformer transformer, DataViewSchema input, DataViewSchema.Column features, Output[] outputs, DataViewSchema output)
    {
        Transformer = transformer;
        InputSchema = input;
        Features = features;
        Outputs = outputs;
        OutputSchema = output;
    }

    public NeuralNetworkTransformer Transformer { get; }
    public DataViewSchema InputSchema { get; }
    public DataViewSchema OutputSchema { get; }
    public DataViewSchema.Column Features { get; }

    /// <summary>The added columns, in schema order after the input's.</summary>
    public Output[] Outputs { get; }

    /// <summary>Checks the feature column and builds the output schema.</summary>
    public static ScoringBinding Bind(NeuralNetworkTransformer transformer, DataViewSchema input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var features = SchemaErrors.Features(input, transformer.FeatureColumnName, transformer.Model.FeatureCount, "inputSchema");
        var outputs = OutputsFor(transformer.Task);
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input);
        uint setId = NextScoreSetId(input);
        foreach (var output in outputs)
            builder.AddColumn(NameOf(output), TypeOf(output, transformer.ClassCount), Annotations(transformer, output, setId));
        return new ScoringBinding(transformer, input, features, outputs, builder.ToSchema());
    }

    /// <summary>The added columns per task, in the order ML.NET's scorers add them.</summary>
    public static Output[] OutputsFor(TaskKind task) => task switch
    {
        TaskKind.BinaryClassification => [Output.PredictedLabelBool, Output.Score, Output.Probability],
        TaskKind.MulticlassClassification => [Output.PredictedLabelKey, Output.ScoreVector],
        _ => [Output.Score],
    };

    public static string NameOf(Output output) => output switch
    {
        Output.PredictedLabelBool or Output.PredictedLabelKey => AnnotationNames.PredictedLabel,
        Output.Probability => AnnotationNames.Probability,
        _ => AnnotationNames.Score,
    };

    public static DataViewType TypeOf(Output output, int classCount) => output switch
    {
        Output.PredictedLabelBool => BooleanDataViewType.Instance,
        Output.PredictedLabelKey => new KeyDataViewType(typeof(uint), classCount),
        Output.ScoreVector => new VectorDataViewType(NumberDataViewType.Single, classCount),
        _ => NumberDataViewType.Single,
    };

    /// <summary>
    /// The annotations ML.NET's scorers write: ScoreColumnKind, ScoreValueKind and ScoreColumnSetId on every column (tools that
    /// find score columns without being told their names look these up); IsNormalized on the probability; the label's key values
    /// on a multiclass PredictedLabel (so MapKeyToValue restores the original labels) and, when they are text, as the score's
    /// slot names and TrainingLabelValues (so per-class metrics are named).
    /// </summary>
    public static DataViewSchema.Annotations Annotations(NeuralNetworkTransformer transformer, Output output, uint setId)
    {
        var builder = new DataViewSchema.Annotations.Builder();
        string kind = transformer.Task switch
        {
            TaskKind.BinaryClassification => AnnotationNames.BinaryClassification,
            TaskKind.MulticlassClassification => AnnotationNames.MulticlassClassification,
            _ => AnnotationNames.Regression,
        };
        builder.Add(AnnotationNames.ScoreColumnKind, TextDataViewType.Instance, (ref ReadOnlyMemory<char> v) => v = kind.AsMemory());
        string valueKind = NameOf(output);
        builder.Add(AnnotationNames.ScoreValueKind, TextDataViewType.Instance, (ref ReadOnlyMemory<char> v) => v = valueKind.AsMemory());
        builder.Add(AnnotationNames.ScoreColumnSetId, ScoreSetIdType, (ref uint v) => v = setId);
        if (output == Output.Probability)
            builder.Add(AnnotationNames.IsNormalized, BooleanDataViewType.Instance, (ref bool v) => v = true);
        var keyValues = transformer.LabelKeyValues;
        if (keyValues?.Schema.GetColumnOrNull(AnnotationNames.KeyValues) is { } column)
        {
            if (output == Output.PredictedLabelKey)
                builder.Add(keyValues, name => name == AnnotationNames.KeyValues);
            else if (output == Output.ScoreVector && column.Type is VectorDataViewType { ItemType: TextDataViewType })
            {
                ValueGetter<VBuffer<ReadOnlyMemory<char>>> names = (ref VBuffer<ReadOnlyMemory<char>> v) => keyValues.GetValue(AnnotationNames.KeyValues, ref v);
                builder.Add(AnnotationNames.SlotNames, column.Type, names);
                builder.Add(AnnotationNames.TrainingLabelValues, column.Type, names);
            }
        }
        return builder.ToAnnotations();
    }

    /// <summary>ML.NET's type of the ScoreColumnSetId annotation.</summary>
    public static KeyDataViewType ScoreSetIdType { get; } = new(typeof(uint), int.MaxValue);

    /// <summary>One more than the highest score-set id already in the schema, as ML.NET's scorers number their columns.</summary>
    private static uint NextScoreSetId(DataViewSchema schema)
    {
        uint max = 0;
        foreach (var column in schema)
        {
            if (column.Annotations.Schema.GetColumnOrNull(AnnotationNames.ScoreColumnSetId)?.Type is not KeyDataViewType { RawType: var raw } || raw != typeof(uint)) continue;
            uint id = 0;
            column.Annotations.GetValue(AnnotationNames.ScoreColumnSetId, ref id);
            max = Math.Max(max, id);
        }
        return max + 1;
    }

    /// <summary>
    /// Splits requested output columns into the input columns a cursor must read and which added columns are active
    /// (any added column needs the feature column).
    /// </summary>
    public (List<DataViewSchema.Column> Input, bool[] Active) Split(IEnumerable<DataViewSchema.Column> requested)
    {
        var input = new List<DataViewSchema.Column>();
        var active = new bool[Outputs.Length];
        int n = InputSchema.Count;
        foreach (var column in requested)
        {
            if (column.Index < n) input.Add(InputSchema[column.Index]);
            else active[column.Index - n] = true;
        }
        if (active.Any(a => a) && !input.Any(c => c.Index == Features.Index)) input.Add(Features);
        return (input, active);
    }
}
