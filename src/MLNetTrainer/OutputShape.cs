using Microsoft.ML;
using Microsoft.ML.Data;
using Output = MLNetNN.MLNet.ScoringBinding.Output;

namespace MLNetNN.MLNet;

/// <summary>
/// Adds the score columns to a <see cref="SchemaShape"/>. <c>SchemaShape.Column</c> has no public constructor, so the columns
/// are described with a <see cref="SchemaDefinition"/> (types and annotations as the transformer will produce them) and
/// ML.NET's own <c>CustomMapping</c> estimator, a public route, turns that into shape columns. Shapes carry no key counts,
/// vector sizes or annotation values, so placeholders stand in for those.
/// </summary>
internal static class OutputShape
{
    public static SchemaShape Add(SchemaShape input, Output[] outputs, DataViewType? keyValueItemType)
    {
        var definition = SchemaDefinition.Create(typeof(ShapeRow));
        definition.RemoveAll(c => !outputs.Any(o => Member(o) == c.MemberName));
        foreach (var column in definition)
        {
            var output = outputs.Single(o => Member(o) == column.MemberName);
            column.ColumnName = ScoringBinding.NameOf(output);
            column.ColumnType = ScoringBinding.TypeOf(output, classCount: 1);
            column.AddAnnotation(AnnotationNames.ScoreColumnKind, "".AsMemory(), TextDataViewType.Instance);
            column.AddAnnotation(AnnotationNames.ScoreValueKind, "".AsMemory(), TextDataViewType.Instance);
            column.AddAnnotation(AnnotationNames.ScoreColumnSetId, 1u, ScoringBinding.ScoreSetIdType);
            if (output == Output.Probability) column.AddAnnotation(AnnotationNames.IsNormalized, true, BooleanDataViewType.Instance);
            if (keyValueItemType is null) continue;
            if (output == Output.PredictedLabelKey) AddVector(column, AnnotationNames.KeyValues, keyValueItemType);
            if (output == Output.ScoreVector && keyValueItemType is TextDataViewType)
            {
                AddVector(column, AnnotationNames.SlotNames, keyValueItemType);
                AddVector(column, AnnotationNames.TrainingLabelValues, keyValueItemType);
            }
        }
        // A context per call: it is cheap, and estimators are then never built concurrently on one context.
        var estimator = new MLContext().Transforms.CustomMapping<NoInput, ShapeRow>((_, _) => { }, contractName: null, outputSchemaDefinition: definition);
        return estimator.GetOutputSchema(input);
    }

    private static string Member(Output output) => output switch
    {
        Output.PredictedLabelBool => nameof(ShapeRow.PredictedLabelBool),
        Output.PredictedLabelKey => nameof(ShapeRow.PredictedLabelKey),
        Output.ScoreVector => nameof(ShapeRow.ScoreVector),
        Output.Probability => nameof(ShapeRow.Probability),
        _ => nameof(ShapeRow.Score),
    };

    private static void AddVector(SchemaDefinition.Column column, string kind, DataViewType itemType) =>
        typeof(OutputShape).GetMethod(nameof(AddVectorOf), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(itemType.RawType).Invoke(null, [column, kind, itemType]);

    private static void AddVectorOf<T>(SchemaDefinition.Column column, string kind, DataViewType itemType) =>
        column.AddAnnotation(kind, new VBuffer<T>(1, new T[1]), new VectorDataViewType((PrimitiveDataViewType)itemType, 1));

    /// <summary>The mapping reads no input columns.</summary>
    private sealed class NoInput;

    /// <summary>One member per kind of added column; the definition keeps those the task adds.</summary>
    private sealed class ShapeRow
    {
        public bool PredictedLabelBool { get; set; }
        public uint PredictedLabelKey { get; set; }
        public float Score { get; set; }
        public float[] ScoreVector { get; set; } = [];
        public float Probability { get; set; }
    }
}
