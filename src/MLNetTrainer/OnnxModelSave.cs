using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetNN.Serialization.Onnx;
using MLNetNN.Training;

namespace MLNetNN.MLNet;

/// <summary>
/// How <c>ml.Model.Save</c> stores a <see cref="NeuralNetworkTransformer"/>: as ML.NET's own transformers that compute the same
/// columns, so that <c>ml.Model.Load</c> gives them back in any application with ML.NET's ONNX packages, without MLNetNN.
/// </summary>
/// <remarks>
/// ML.NET's model files can only name components registered inside ML.NET (its <c>LoadableClass</c> and save-context writers
/// are internal), but a transformer may save itself by having another transformer save into its place. The network becomes a
/// one-row ONNX graph (<see cref="OnnxExporter.WriteRowGraph"/>, its input named after the feature column, or after a copy of
/// it, <c>row.features</c>, when the graph uses that name itself) run by ML.NET's <c>OnnxTransformer</c>, which gives each output as a vector; ML.NET scorers with identity weights (<see cref="IdentityModels"/>)
/// turn the one-slot ones into scalars with ML.NET's own score annotations. Binary: the logit → <c>Score</c> and
/// <c>PredictedLabel</c> (Score &gt; 0), and a fixed Platt calibrator 1 / (1 + e^−Score) → <c>Probability</c>. Regression: the
/// target → <c>Score</c>. Multiclass: the probabilities → <c>Score</c>; the class index → the class's key value (<c>MapValue</c>)
/// → <c>PredictedLabel</c> (<c>MapValueToKey</c> over the label's key values in class order, so <c>MapKeyToValue</c> restores
/// them). The helper columns (<c>row.*</c>) are dropped. ONNX Runtime computes in float as the engine does, in another order:
/// scores agree within 1e-5, not bit for bit. The multiclass <c>Score</c> has no slot names, so per-class metrics are numbered.
/// </remarks>
internal static class OnnxModelSave
{
    /// <summary>Saves ML.NET's equivalent of <paramref name="network"/> into the place ML.NET reserved for the network.</summary>
    public static void Save(NeuralNetworkTransformer network, ModelSaveContext ctx)
    {
        ITransformer equivalent;
        try
        {
            equivalent = Equivalent(network);
        }
        catch (Exception e)
        {
            // Whatever stops the equivalent from being built (a regression network of several targets, key values ML.NET cannot map), the
            // stream is rolled back before ML.NET writes more.
            string rollback = RefusedModelSave.RollBack(ctx);
            throw new NotSupportedException(
                $"ml.Model.Save cannot store this network as ML.NET's OnnxTransformer: {e.Message} Save the pipeline with " +
                "ml.Model.SaveWithNeuralNetwork(model, inputSchema, path) and load it with ml.Model.LoadWithNeuralNetwork(path, out var schema) " +
                $"(namespace MLNetNN.MLNet). {rollback}", e);
        }
        using (equivalent as IDisposable)
            equivalent.Save(ctx);
    }

    private const string RowScore = "row.score", RowClass = "row.class", RowLabel = "row.label", RowFeatures = "row.features";

    /// <summary>ML.NET's own transformers computing <paramref name="network"/>'s columns (see the class remarks).</summary>
    /// <exception cref="NotSupportedException">A regression network with more than one target.</exception>
    public static ITransformer Equivalent(NeuralNetworkTransformer network)
    {
        // A context per call, as OutputShape does: building estimators is then never concurrent on one context.
        var ml = new MLContext(seed: 0);
        var model = network.Model;
        bool multiclass = network.Task == TaskKind.MulticlassClassification;
        IDataView data = NoRows(ml, network.FeatureColumnName, model.FeatureCount);
        var parts = new List<ITransformer>();
        void Add(ITransformer part)
        {
            parts.Add(part);
            data = part.Transform(data);
        }

        // OnnxTransformer reads the column named like the graph's input. A feature column named like a value the graph uses
        // itself (say "probabilities" or "row.score") cannot name the input, so it is copied to a helper column that can: a
        // refusal here would come after ML.NET's Save(path) had already emptied the file, and the caller's model with it.
        using var onnx = new MemoryStream();
        var layout = new OnnxRowLayout(network.FeatureColumnName, multiclass ? RowScore + "s" : RowScore, RowClass);
        try
        {
            OnnxExporter.WriteRowGraph(model, layout, onnx);
        }
        catch (ArgumentException)
        {
            layout = layout with { InputName = RowFeatures };
            onnx.SetLength(0);
            OnnxExporter.WriteRowGraph(model, layout, onnx);
            Add(ml.Transforms.CopyColumns(RowFeatures, network.FeatureColumnName).Fit(data));
        }
        onnx.Position = 0;
        Add(ml.Transforms.ApplyOnnxModel(multiclass ? [layout.Score, RowClass] : [RowScore], [layout.InputName], onnx).Fit(data));

        switch (network.Task)
        {
            case TaskKind.BinaryClassification:
                // ML.NET's binary scorer gives Score and PredictedLabel = Score > 0; the fixed Platt calibrator 1 / (1 + e^−Score) the probability.
                Add(IdentityModels.Binary(ml, RowScore));
                Add(ml.BinaryClassification.Calibrators.Platt(slope: -1, offset: 0).Fit(data));
                Add(ml.Transforms.DropColumns(RowScore).Fit(data));
                break;
            case TaskKind.MulticlassClassification:
                // The class index becomes a scalar through the identity scorer, then the class's key value, then a key with the label's
                // key values; a NaN index finds no key value and so becomes the missing key, as the adapter scores such a row.
                Add(IdentityModels.Regression(ml, RowClass));
                var (values, keyData) = KeyValues(ml, network);
                Add(values.Fit(data));
                Add(ml.Transforms.CopyColumns(AnnotationNames.Score, layout.Score).Fit(data));
                Add(ml.Transforms.Conversion.MapValueToKey(AnnotationNames.PredictedLabel, RowLabel, keyData: keyData).Fit(data));
                Add(ml.Transforms.DropColumns(layout.Score, RowClass, RowLabel).Fit(data));
                break;
            default:
                Add(IdentityModels.Regression(ml, RowScore));
                Add(ml.Transforms.DropColumns(RowScore).Fit(data));
                break;
        }
        if (layout.InputName == RowFeatures) Add(ml.Transforms.DropColumns(RowFeatures).Fit(data));
        return new TransformerChain<ITransformer>([.. parts]);
    }

    /// <summary>
    /// The mapping from a class index (float) to the class's key value, and the key values in class order as a one-column view
    /// for <c>MapValueToKey</c>. Without key values on the label, the class names (1..K) are the key values.
    /// </summary>
    private static (IEstimator<ITransformer> Values, IDataView KeyData) KeyValues(MLContext ml, NeuralNetworkTransformer network)
    {
        var keyValues = network.LabelKeyValues;
        var column = keyValues?.Schema.GetColumnOrNull(AnnotationNames.KeyValues);
        if (column?.Type is not VectorDataViewType { ItemType: var itemType })
            return Mapping(ml, network.Model.ClassNames!.ToArray());
        if (itemType is TextDataViewType)
            return Mapping(ml, Read<ReadOnlyMemory<char>>(keyValues!).Select(v => v.ToString()).ToArray());
        var read = typeof(OnnxModelSave).GetMethod(nameof(Read), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.MakeGenericMethod(itemType.RawType);
        var mapping = typeof(OnnxModelSave).GetMethod(nameof(Mapping), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.MakeGenericMethod(itemType.RawType);
        return ((IEstimator<ITransformer>, IDataView))mapping.Invoke(null, [ml, read.Invoke(null, [keyValues!])])!;
    }

    private static T[] Read<T>(DataViewSchema.Annotations annotations)
    {
        VBuffer<T> values = default;
        annotations.GetValue(AnnotationNames.KeyValues, ref values);
        return values.DenseValues().ToArray();
    }

    private static (IEstimator<ITransformer> Values, IDataView KeyData) Mapping<T>(MLContext ml, T[] values) =>
        (ml.Transforms.Conversion.MapValue(RowLabel, values.Select((v, i) => new KeyValuePair<float, T>(i, v)), AnnotationNames.Score),
         ml.Data.LoadFromEnumerable(values.Select(v => new KeyRow<T> { Value = v }).ToArray()));

    /// <summary>An empty view with the feature column, for fitting estimators that only look at the schema.</summary>
    private static IDataView NoRows(MLContext ml, string featureColumn, int featureCount)
    {
        var definition = SchemaDefinition.Create(typeof(FeatureRow));
        definition[0].ColumnName = featureColumn;
        definition[0].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureCount);
        return ml.Data.LoadFromEnumerable(Array.Empty<FeatureRow>(), definition);
    }

    private sealed class FeatureRow
    {
        public float[] Features { get; set; } = [];
    }

    private sealed class KeyRow<T>
    {
        public T Value { get; set; } = default!;
    }
}
