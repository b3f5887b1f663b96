using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetNN.Training;

namespace MLNetNN.MLNet;

/// <summary>
/// The estimator behind the three network trainers: checks the schema as ML.NET's trainers do, streams the data view to the
/// engine (<see cref="NeuralNetworkTrainer"/>) epoch by epoch, and returns a <see cref="NeuralNetworkTransformer"/>.
/// </summary>
/// <remarks>
/// Memory while training: the network and its optimiser state, one mini-batch, and a shuffle buffer of
/// <see cref="OptionsBase.ShuffleBufferRows"/> rows (about (ShuffleBufferRows + BatchSize) × (features + 2) × 4 bytes; 10,000 rows
/// of 100 features take 4 MB), whatever the number of rows. Each epoch re-reads the data view through a new cursor, so a
/// view backed by a file is read from disk every epoch; put <c>ml.Data.Cache</c> before the trainer when the rows fit in memory
/// (a cached view also shuffles fully). With standardisation (<see cref="FeatureNormalization"/>) one extra pass fits it first.
/// </remarks>
public abstract partial class NeuralNetworkTrainerBase : IEstimator<NeuralNetworkTransformer>
{
    private readonly OptionsBase _options;

    private protected NeuralNetworkTrainerBase(TaskKind task, OptionsBase options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.LabelColumnName, nameof(options.LabelColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.FeatureColumnName, nameof(options.FeatureColumnName));
        if (options.ShuffleBufferRows < 1)
            throw new ArgumentOutOfRangeException(nameof(options.ShuffleBufferRows), options.ShuffleBufferRows, "ShuffleBufferRows must be at least 1.");
        Task = task;
        _options = options;
        // The engine checks every setting now, so a bad option fails when the pipeline is built, not after reading data.
        _ = new NeuralNetworkTrainer(options.ToEngineOptions(task));
    }

    /// <summary>What the network predicts.</summary>
    public TaskKind Task { get; }

    /// <summary>Trains on <paramref name="input"/> (holding out <see cref="OptionsBase.ValidationFraction"/> of it when set or implied by early stopping).</summary>
    public NeuralNetworkTransformer Fit(IDataView input) => Fit(input, null);

    /// <summary>
    /// Trains on <paramref name="trainData"/>, validating after every epoch on <paramref name="validationData"/> (early stopping,
    /// best-epoch weights), as ML.NET's trainers that take a validation set do.
    /// </summary>
    public NeuralNetworkTransformer Fit(IDataView trainData, IDataView? validationData)
    {
        ArgumentNullException.ThrowIfNull(trainData);
        var options = _options;
        var columns = TrainingColumns.Bind(Task, trainData.Schema, options);
        var validationColumns = validationData is null ? null : TrainingColumns.Bind(Task, validationData.Schema, options, columns.FeatureCount);
        if (validationColumns is not null && validationColumns.ClassCount != columns.ClassCount)
            throw new ArgumentOutOfRangeException(nameof(validationData),
                $"The validation label column '{validationColumns.Label.Name}' has {validationColumns.ClassCount} classes; the training label has {columns.ClassCount}. Map both with the same MapValueToKey.");

        int seed = options.Seed ?? Random.Shared.Next();
        var engineOptions = options.ToEngineOptions(Task) with { Seed = seed };
        float holdOut = validationData is null ? engineOptions.EffectiveValidationFraction : 0f;
        var train = new DataViewBatchSource(trainData, columns, options.ShuffleBufferRows,
            holdOut > 0 ? new DataViewBatchSource.HoldOut(holdOut, seed, Keep: false) : null);
        DataViewBatchSource? validation = validationData is not null
            ? new DataViewBatchSource(validationData, validationColumns!, options.ShuffleBufferRows, null)
            : holdOut > 0 ? new DataViewBatchSource(trainData, columns, options.ShuffleBufferRows, new DataViewBatchSource.HoldOut(holdOut, seed, Keep: true)) : null;

        bool standardize = options.FeatureNormalization == FeatureNormalization.Yes
            || (options.FeatureNormalization == FeatureNormalization.Auto && !IsNormalized(columns.Features));
        var scaler = standardize ? train.FitStandardization() : null;
        train.Scaler = scaler;
        if (validation is not null) validation.Scaler = scaler;

        var info = new TrainingDataInfo(columns.FeatureCount, Task == TaskKind.Regression ? null : columns.ClassNames(), 1, columns.FeatureNames(), scaler);
        var trainer = new NeuralNetworkTrainer(engineOptions with { Scaling = standardize ? ScalingKind.Standardize : ScalingKind.None });
        TrainingResult result;
        try
        {
            result = trainer.Fit(train, validation, info, options.Progress, options.CancellationToken);
        }
        catch (InvalidOperationException) when (train.RowsUsed == 0)
        {
            throw train.NoRows(train.RowsSkipped);
        }
        return new NeuralNetworkTransformer(result.Model, columns.Features.Name, LabelKeyValues(columns),
            new TrainingFacts(result.StopReason, result.Message, train.RowsUsed, train.RowsSkipped));
    }

    /// <summary>
    /// The input schema plus the columns the trained transformer adds; throws ML.NET's schema errors for a missing or mistyped
    /// feature, label or weight column. (ML.NET's <c>EstimatorChain.Fit</c> calls this before fitting anything.)
    /// </summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        const string param = nameof(inputSchema);
        var o = _options;
        if (Find(inputSchema, o.FeatureColumnName) is not { } features) throw SchemaErrors.Missing(param, "feature", o.FeatureColumnName);
        if (features.Kind != SchemaShape.Column.VectorKind.Vector || features.IsKey || features.ItemType != NumberDataViewType.Single)
            throw SchemaErrors.Mismatch(param, "feature", o.FeatureColumnName, "Vector<Single>", SchemaErrors.TypeString(features));
        if (Find(inputSchema, o.LabelColumnName) is not { } label) throw SchemaErrors.Missing(param, "label", o.LabelColumnName);
        bool labelOk = label.Kind == SchemaShape.Column.VectorKind.Scalar && Task switch
        {
            TaskKind.BinaryClassification => !label.IsKey && (label.ItemType == BooleanDataViewType.Instance || label.ItemType == NumberDataViewType.Single),
            TaskKind.MulticlassClassification => label.IsKey,
            _ => !label.IsKey && label.ItemType == NumberDataViewType.Single,
        };
        if (!labelOk) throw SchemaErrors.Mismatch(param, "label", o.LabelColumnName, TrainingColumns.ExpectedLabel(Task), SchemaErrors.TypeString(label));
        if (o.ExampleWeightColumnName is { } weightName)
        {
            if (Find(inputSchema, weightName) is not { } weight) throw SchemaErrors.Missing(param, "weight", weightName);
            if (weight.Kind != SchemaShape.Column.VectorKind.Scalar || weight.IsKey || weight.ItemType != NumberDataViewType.Single)
                throw SchemaErrors.Mismatch(param, "weight", weightName, "Single", SchemaErrors.TypeString(weight));
        }
        DataViewType? keyValueType = null;
        if (Task == TaskKind.MulticlassClassification && Find(label.Annotations, AnnotationNames.KeyValues) is { } keyValues)
            keyValueType = keyValues.ItemType;
        return OutputShape.Add(inputSchema, ScoringBinding.OutputsFor(Task), keyValueType);
    }

    /// <summary>The last column of that name, as ML.NET's own (internal) lookup finds it.</summary>
    private static SchemaShape.Column? Find(SchemaShape shape, string name) => shape.LastOrDefault(c => c.Name == name) is { Name: not null } c ? c : null;

    private static bool IsNormalized(DataViewSchema.Column column)
    {
        if (column.Annotations.Schema.GetColumnOrNull(AnnotationNames.IsNormalized)?.Type != BooleanDataViewType.Instance) return false;
        bool normalized = false;
        column.Annotations.GetValue(AnnotationNames.IsNormalized, ref normalized);
        return normalized;
    }

    private DataViewSchema.Annotations? LabelKeyValues(TrainingColumns columns)
    {
        if (Task != TaskKind.MulticlassClassification || columns.Label.Annotations.Schema.GetColumnOrNull(AnnotationNames.KeyValues) is null) return null;
        var builder = new DataViewSchema.Annotations.Builder();
        builder.Add(columns.Label.Annotations, name => name == AnnotationNames.KeyValues);
        return builder.ToAnnotations();
    }
}
