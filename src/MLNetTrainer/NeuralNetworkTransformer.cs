using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetNN.Models;
using MLNetNN.Training;

namespace MLNetNN.MLNet;

/// <summary>
/// A trained network inside an ML.NET pipeline. It adds the columns ML.NET's own trainers add, with the same types and
/// annotations, so the evaluators, <c>MapKeyToValue</c> and <c>PredictionEngine</c> work unchanged:
/// binary → <c>PredictedLabel</c> (Boolean), <c>Score</c> (Single, the logit), <c>Probability</c> (Single);
/// multiclass → <c>PredictedLabel</c> (key, carrying the training label's key values), <c>Score</c> (one probability per class);
/// regression → <c>Score</c> (Single). A row with a missing (NaN) feature gets NaN scores, as ML.NET's linear models give.
/// </summary>
/// <remarks>
/// Transforming is lazy and streams (one row at a time through a cursor, or many cursors in parallel); the model's prediction
/// is thread-safe, so any number of cursors and prediction engines can share one transformer.
/// <c>ml.Model.Save</c> stores it as ML.NET's OnnxTransformer, which <c>ml.Model.Load</c> reads without MLNetNN (scores within
/// 1e-5); <c>ml.Model.SaveWithNeuralNetwork</c> keeps the engine itself (bit-exact scores, training history).
/// </remarks>
public sealed partial class NeuralNetworkTransformer : ITransformer
{
    internal NeuralNetworkTransformer(NeuralNetworkModel model, string featureColumnName, DataViewSchema.Annotations? labelKeyValues, TrainingFacts facts)
    {
        Model = model;
        FeatureColumnName = featureColumnName;
        LabelKeyValues = labelKeyValues;
        Facts = facts;
    }

    /// <summary>The engine's model: network, scaler, class names, options and history (<see cref="NeuralNetworkModel.Summary"/>,
    /// <see cref="NeuralNetworkModel.History"/>, <see cref="NeuralNetworkModel.LayerActivations"/>).</summary>
    public NeuralNetworkModel Model { get; }

    /// <summary>The task the network was trained for.</summary>
    public TaskKind Task => Model.Task;

    /// <summary>The feature column the network reads.</summary>
    public string FeatureColumnName { get; }

    /// <summary>Why training ended, in a sentence (which epoch's weights the network holds).</summary>
    public string TrainingMessage => Facts.Message;

    /// <summary>Why training ended.</summary>
    public StopReason StopReason => Facts.StopReason;

    /// <summary>Training rows used in the last epoch.</summary>
    public long TrainingRows => Facts.RowsUsed;

    /// <summary>Training rows skipped for a missing (NaN) feature, label or weight.</summary>
    public long SkippedRows => Facts.RowsSkipped;

    /// <summary>The multiclass label's <c>KeyValues</c> annotation, copied onto <c>PredictedLabel</c>; null for other tasks or keys without values.</summary>
    internal DataViewSchema.Annotations? LabelKeyValues { get; }

    internal TrainingFacts Facts { get; }

    /// <summary>Number of classes (classification) or 0.</summary>
    internal int ClassCount => Model.IsClassifier ? Model.OutputCount : 0;

    /// <inheritdoc/>
    public bool IsRowToRowMapper => true;

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => ScoringBinding.Bind(this, inputSchema).OutputSchema;

    /// <inheritdoc/>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        OnnxConversionRefusal.ThrowIfConverting();
        return new ScoredDataView(input, ScoringBinding.Bind(this, input.Schema));
    }

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => new ScoringRowMapper(ScoringBinding.Bind(this, inputSchema));

    /// <summary>
    /// Saves, for <c>ml.Model.Save</c>, ML.NET's own transformers that compute this network's columns (ONNX Runtime through
    /// ML.NET's OnnxTransformer), so <c>ml.Model.Load</c> needs no MLNetNN; see <see cref="OnnxModelSave"/>.
    /// </summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => OnnxModelSave.Save(this, ctx);
}

/// <summary>What training reported, kept with the transformer and its saved file.</summary>
internal sealed record TrainingFacts(StopReason StopReason, string Message, long RowsUsed, long RowsSkipped);
