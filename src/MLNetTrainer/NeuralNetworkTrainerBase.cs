using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetNN.Data;
using MLNetNN.Training;

namespace MLNetNN.MLNet;

/// <summary>
/// The estimator behind the three network trainers: checks the schema as ML.NET's trainers do, streams the data view to the
/// engine (<see cref="NeuralNetworkTrainer"/>) epoch by epoch, and returns a <see cref="NeuralNetworkTransformer"/>.
/// </summary>
/// <remarks>
/// Memory while training: the network and its optimiser state, one mini-batch (five with more than one thread, whose passes read
/// the view a few batches ahead of training on a thread of their own), and a shuffle buffer of
/// <see cref="OptionsBase.ShuffleBufferRows"/> rows (about (ShuffleBufferRows + 5 × BatchSize) × (features + 2) × 4 bytes; 10,000
/// rows of 100 features take 4 MB), whatever the number of rows. Each epoch re-reads the data view through a new cursor, so a
/// view backed by a file is read from disk every epoch; put <c>ml.Data.Cache</c> before the trainer when the rows fit in memory
/// (a cached view also shuffles fully). With standardisation (<see cref="FeatureNormalization"/>) one extra pass fits it first;
/// without it, a view that cannot shuffle gets one pass checking whether its rows arrive sorted by label (read spread out if so).
/// </remarks>
public abstract partial class NeuralNetworkTrainerBase : IEstimator<NeuralNetworkTransformer>
{
    private readonly OptionsBase _options;
    private readonly MLContextHost? _host;

    private protected NeuralNetworkTrainerBase(TaskKind task, OptionsBase options, MLContextHost? host)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.LabelColumnName, nameof(options.LabelColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.FeatureColumnName, nameof(options.FeatureColumnName));
        if (options.ShuffleBufferRows < 1)
            throw new ArgumentOutOfRangeException(nameof(options.ShuffleBufferRows), options.ShuffleBufferRows, "ShuffleBufferRows must be at least 1.");
        Task = task;
        _options = options;
        _host = host;
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
        using var log = _host?.StartLog() ?? new TrainingLog(null);
        foreach (var ignored in engineOptions.IgnoredSettings()) log.Warning(ignored.Describe(OptionsBase.OptionFor(ignored.Option)));
        // With more than one training thread, passes read the view beside the training (a thread of their own) instead of
        // between its batches; with one, the trainer keeps to the one thread it was given.
        bool readAhead = engineOptions.EffectiveThreads > 1;
        var train = new DataViewBatchSource(trainData, columns, options.ShuffleBufferRows,
            holdOut > 0 ? new DataViewBatchSource.HoldOut(holdOut, seed, Keep: false) : null) { Host = _host, Log = log, ReadAhead = readAhead };
        DataViewBatchSource? validation = validationData is not null
            ? new DataViewBatchSource(validationData, validationColumns!, options.ShuffleBufferRows, null) { Host = _host, ReadAhead = readAhead }
            : holdOut > 0 ? new DataViewBatchSource(trainData, columns, options.ShuffleBufferRows, new DataViewBatchSource.HoldOut(holdOut, seed, Keep: true)) { Host = _host, ReadAhead = readAhead } : null;

        var scaler = Standardization(train, columns.Features, log);
        // The standardisation pass watches the labels' order; without it a view that cannot shuffle gets a pass of its own.
        if (options.FeatureNormalization == FeatureNormalization.No) train.CheckOrder();
        train.Scaler = scaler;
        if (validation is not null) validation.Scaler = scaler;

        var info = new TrainingDataInfo(columns.FeatureCount, Task == TaskKind.Regression ? null : columns.ClassNames(), 1, columns.FeatureNames(), scaler);
        var trainer = new NeuralNetworkTrainer(engineOptions with { Scaling = scaler is null ? ScalingKind.None : ScalingKind.Standardize });
        TrainingResult result;
        try
        {
            result = trainer.Fit(train, validation, info, options.Progress, options.CancellationToken);
        }
        catch (InvalidOperationException) when (train.RowsUsed == 0)
        {
            throw train.NoRows(train.RowsSkipped);
        }
        catch (TrainingDivergedException diverged)
        {
            log.Warning(diverged.Message);
            throw;
        }
        Report(log, result, train, engineOptions);
        return new NeuralNetworkTransformer(result.Model, columns.Features.Name, LabelKeyValues(columns),
            new TrainingFacts(result.StopReason, result.Message, train.RowsUsed, train.RowsSkipped));
    }

    /// <summary>
    /// The scaler the features get, or null. <see cref="FeatureNormalization.Auto"/> measures the features in one pass and
    /// standardises unless they already are standardised: the <c>IsNormalized</c> annotation alone cannot be trusted, since
    /// ML.NET's <c>NormalizeMeanVariance</c> with its default <c>fixZero: true</c> (and <c>NormalizeMinMax</c>) marks a column
    /// it only rescaled, leaving it uncentred, which costs a network several points of accuracy.
    /// </summary>
    private FeatureScaler? Standardization(DataViewBatchSource train, DataViewSchema.Column features, TrainingLog log)
    {
        var mode = _options.FeatureNormalization;
        if (mode == FeatureNormalization.No) return null;
        var scaler = train.FitStandardization();
        if (mode == FeatureNormalization.Yes) return scaler;
        int off = FirstUnstandardized(scaler);
        if (off < 0)
        {
            log.Info($"The features of '{features.Name}' are already standardised (every mean within {StandardizedTolerance} of 0 and standard deviation within {StandardizedTolerance} of 1); training on them as they are.");
            return null;
        }
        if (IsNormalized(features))
            log.Info($"The feature column '{features.Name}' is marked normalised, but slot {off} has mean {scaler.Offset[off]:G4} and standard deviation {1 / scaler.Scale[off]:G4}: " +
                "its normaliser rescaled without centring (NormalizeMeanVariance keeps fixZero: true by default), so the trainer standardises the features itself.");
        return scaler;
    }

    /// <summary>How far a mean may lie from 0, and a standard deviation from 1, for a feature to count as standardised.</summary>
    private const float StandardizedTolerance = 0.02f;

    /// <summary>The first feature that is not standardised, or −1. A constant feature counts as standardised only when it is 0.</summary>
    private static int FirstUnstandardized(FeatureScaler scaler)
    {
        for (int j = 0; j < scaler.Offset.Count; j++)
            if (Math.Abs(scaler.Offset[j]) > StandardizedTolerance || Math.Abs(1 / scaler.Scale[j] - 1) > StandardizedTolerance) return j;
        return -1;
    }

    /// <summary>What ML.NET's own trainers tell <c>ml.Log</c>: skipped rows, why training stopped, a run that did not converge.</summary>
    private static void Report(TrainingLog log, TrainingResult result, DataViewBatchSource train, NeuralNetworkOptions options)
    {
        if (train.RowsSkipped > 0)
            log.Warning($"Skipped {train.RowsSkipped:N0} of {train.RowsUsed + train.RowsSkipped:N0} training rows with a missing (NaN) or infinite feature or label, or a missing or negative weight.");
        log.Info($"Trained on {train.RowsUsed:N0} rows. {result.Message}");
        if (result.StopReason == StopReason.MaxEpochs && options.Convergence != ConvergenceCriterion.None)
            log.Warning($"Training did not converge: the {options.Convergence} test (tolerance {options.Tolerance:G3}) was not met within {options.Epochs} epochs. " +
                "Raise Epochs (or the learning rate, if the loss was still falling slowly).");
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
