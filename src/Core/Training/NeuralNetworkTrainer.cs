using System.Diagnostics;
using System.Numerics.Tensors;
using MLNetNN.Activations;
using MLNetNN.Data;
using MLNetNN.Layers;
using MLNetNN.Losses;
using MLNetNN.Models;
using MLNetNN.Networks;
using MLNetNN.Optimizers;

namespace MLNetNN.Training;

/// <summary>
/// Trains a feed-forward network: epochs of mini-batches (reshuffled every epoch), forward pass, fused loss, backpropagation,
/// regularisation and an optimiser step; validation, early stopping, convergence tests, progress and cancellation around them.
/// </summary>
/// <remarks>
/// Two entry points: <see cref="Fit(Dataset, Dataset?, IProgress{EpochRecord}?, CancellationToken)"/> for an in-memory data set
/// (it fits the scaler and makes the validation split), and <see cref="Fit(IBatchSource, IBatchSource?, TrainingDataInfo, IProgress{EpochRecord}?, CancellationToken)"/>
/// for data that arrives as batches (already scaled by the caller), which is how the ML.NET adapter streams an IDataView.
/// </remarks>
public sealed class NeuralNetworkTrainer
{
    /// <summary>A trainer with the given options (validated now, so mistakes surface before any data is read).</summary>
    public NeuralNetworkTrainer(NeuralNetworkOptions? options = null)
    {
        Options = options ?? new NeuralNetworkOptions();
        Options.Validate();
    }

    /// <summary>The options every run of this trainer uses.</summary>
    public NeuralNetworkOptions Options { get; }

    /// <summary>
    /// Trains on an in-memory data set. Fits the scaler on the training rows, holds out a stratified validation split when the
    /// options ask for one and no <paramref name="validation"/> set is given, and returns the model with scaler and class names.
    /// </summary>
    public TrainingResult Fit(Dataset train, Dataset? validation = null, IProgress<EpochRecord>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        CheckLabels(train, "training");
        int seed = Options.Seed ?? Random.Shared.Next();
        if (validation is null && Options.EffectiveValidationFraction > 0f)
            (train, validation) = DataSplit.TrainTestSplit(train, Options.EffectiveValidationFraction, seed, stratify: Options.Task != TaskKind.Regression);
        if (validation is not null)
        {
            if (validation.Columns != train.Columns)
                throw new ArgumentException($"The validation set has {validation.Columns} feature columns; the training set has {train.Columns}.", nameof(validation));
            CheckLabels(validation, "validation");
            if (train.ClassNames is not null && (validation.ClassNames is null || !validation.ClassNames.SequenceEqual(train.ClassNames)))
                throw new ArgumentException("The validation set's class names differ from the training set's; load both with the same class list.", nameof(validation));
        }

        FeatureScaler? scaler = Options.Scaling switch
        {
            ScalingKind.Standardize => FeatureScaler.FitStandardization(train),
            ScalingKind.MinMax => FeatureScaler.FitMinMax(train),
            _ => null,
        };
        if (scaler is not null)
        {
            train = scaler.Transform(train);
            validation = validation is null ? null : scaler.Transform(validation);
        }
        var info = TrainingDataInfo.From(train, scaler);
        return Run(new DatasetBatchSource(train), validation is null ? null : new DatasetBatchSource(validation), info, seed, train.Rows, progress, cancellationToken);
    }

    /// <summary>
    /// Trains on batches from <paramref name="train"/>, evaluating <paramref name="validation"/> after every epoch.
    /// The features must already be scaled as <paramref name="info"/>'s scaler (if any) would scale them.
    /// </summary>
    public TrainingResult Fit(IBatchSource train, IBatchSource? validation, TrainingDataInfo info, IProgress<EpochRecord>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(info);
        return Run(train, validation, info, Options.Seed ?? Random.Shared.Next(), rowCountHint: null, progress, cancellationToken);
    }

    private void CheckLabels(Dataset data, string which)
    {
        switch (Options.Task)
        {
            case TaskKind.BinaryClassification when data.ClassCount != 2:
                throw new ArgumentException($"Binary classification needs exactly two classes; the {which} data has {(data.ClassNames is null ? "no class labels" : $"{data.ClassCount}: {string.Join(", ", data.ClassNames)}")}.");
            case TaskKind.MulticlassClassification when data.ClassCount < 2:
                throw new ArgumentException($"Multiclass classification needs at least two classes; the {which} data has {(data.ClassNames is null ? "no class labels (load it as classification data)" : data.ClassCount.ToString())}.");
            case TaskKind.Regression when data.ClassNames is not null:
                throw new ArgumentException($"Regression needs numeric targets; the {which} data was loaded with class labels.");
        }
    }

    private TrainingResult Run(IBatchSource train, IBatchSource? validation, TrainingDataInfo info, int seed, int? rowCountHint,
        IProgress<EpochRecord>? progress, CancellationToken cancellationToken)
    {
        var o = Options;
        var network = BuildNetwork(info);
        var loss = CreateLoss(network);
        int threads = o.EffectiveThreads;
        var objective = new Objective(network, loss, o.L1, o.L2, threads, seed);
        int labelWidth = loss.LabelWidth(network.OutputCount);
        if (train.FeatureCount != network.InputCount || train.LabelWidth != labelWidth)
            throw new ArgumentException($"The training batches have {train.FeatureCount} features and {train.LabelWidth} label values per row; the network needs {network.InputCount} and {labelWidth}.");
        if (validation is not null && (validation.FeatureCount != network.InputCount || validation.LabelWidth != labelWidth))
            throw new ArgumentException($"The validation batches have {validation.FeatureCount} features and {validation.LabelWidth} label values per row; the network needs {network.InputCount} and {labelWidth}.");

        var random = new Random(seed);
        network.Initialize(o.Initializer, random, o.EffectiveInitializerScale, o.InitialBias);
        if (o.Optimizer == OptimizerKind.Lbfgs)
            return LbfgsTraining.Run(this, objective, train, validation, info, seed, rowCountHint, progress, cancellationToken);
        var optimizer = o.CreateOptimizer();
        optimizer.Initialize(network.Layout);
        var schedule = o.CreateSchedule();
        bool fullBatch = optimizer.Kind == OptimizerKind.GradientDescent;
        int capacity = Math.Max(1, rowCountHint is int rows ? Math.Min(o.BatchSize, rows) : o.BatchSize);

        var workspace = new Workspace(network, capacity);
        var batch = new MiniBatch(workspace.Input, capacity, network.InputCount, labelWidth) { AllowsRowReferences = true };
        // Both read the training labels once before the first epoch, and are in use only for their own task.
        var targetScaler = TargetUnits.Fit(train, batch, o.EffectiveTargetScaling);
        var targets = targetScaler is null ? null : new TargetUnits(targetScaler);
        float[]? classWeights = info.ClassNames is null ? null : ClassWeighting.Resolve(o, info.ClassNames, train, batch);
        var gradients = new float[network.ParameterCount];
        // Full-batch gradient descent sums each chunk's gradient here and steps once per epoch; mini-batch training steps every batch.
        var epochGradient = fullBatch ? new float[network.ParameterCount] : gradients;
        var best = network.Snapshot();
        var lastGood = network.Snapshot();
        var previous = (float[])network.Parameters.Clone();
        var metric = new MetricAccumulator(o.Task, labelWidth);
        var validationMetricAccumulator = new MetricAccumulator(o.Task, labelWidth);
        var history = new List<EpochRecord>();

        var clock = Stopwatch.StartNew();
        // Decisions (early stopping, convergence, the schedule, the best epoch) use the loss the optimiser sees, so Tolerance means
        // the same for a target in the hundreds as for one near 1; the history and the messages give the loss in the targets' units.
        double bestMonitored = double.PositiveInfinity, bestMonitoredReported = double.PositiveInfinity, bestTrainLoss = double.PositiveInfinity;
        int bestEpoch = 0, epochsWithoutImprovement = 0, epochsWithoutLossChange = 0;
        long step = 0;
        StopReason reason = StopReason.MaxEpochs;
        string message = $"Reached the epoch limit ({o.Epochs}).";

        for (int epoch = 1; epoch <= o.Epochs; epoch++)
        {
            var epochStart = clock.Elapsed;
            double lossSum = 0, reportedLossSum = 0, weightSum = 0;
            float learningRate = schedule.LearningRate(step + 1, epoch);
            metric.Reset();
            if (fullBatch) Array.Clear(epochGradient);
            bool cancelled = false;
            using (var cursor = train.Open(o.Shuffle ? random.Next() : null))
            {
                while (cursor.Next(batch))
                {
                    if (cancellationToken.IsCancellationRequested) { cancelled = true; break; }
                    int n = batch.Rows;
                    targets?.Scale(batch);
                    if (classWeights is not null) ClassWeighting.Apply(batch, classWeights);
                    ReadOnlySpan<float> weights = batch.HasWeights ? batch.Weights.AsSpan(0, n) : default;
                    float batchWeight = weights.IsEmpty ? n : TensorPrimitives.Sum(weights);
                    double batchLoss = objective.LossAndGradient(workspace, batch, gradients, fullBatch ? 1f : 1f / batchWeight);
                    lossSum += batchLoss;
                    reportedLossSum += targets is null ? batchLoss : targets.LossSum(workspace.Output, batch.Labels, weights, n);
                    weightSum += batchWeight;
                    metric.Add(workspace.Output, batch.Labels, weights, n, network.OutputCount);
                    if (fullBatch)
                    {
                        foreach (Range r in Numerics.CacheSlices.Of(gradients.Length))
                            TensorPrimitives.Add(epochGradient.AsSpan(r), gradients.AsSpan(r), epochGradient.AsSpan(r));
                        continue;
                    }
                    objective.AddPenaltyGradient(gradients);
                    learningRate = schedule.LearningRate(++step, epoch);
                    optimizer.Step(network.Parameters, gradients, learningRate);
                }
            }
            if (cancelled)
            {
                reason = StopReason.Cancelled;
                message = history.Count == 0 ? "Cancelled before the first epoch ended; the model holds its initial weights." : $"Cancelled during epoch {epoch}; kept the weights of epoch {bestEpoch}, the best so far.";
                break;
            }
            if (weightSum <= 0) throw new InvalidOperationException("The training data produced no rows (or only rows of zero weight).");

            double trainLoss = lossSum / weightSum + objective.Penalty();
            // In the targets' units: the data term only is rescaled; the penalty is the optimiser's, as it does not measure errors.
            double reportedTrainLoss = reportedLossSum / weightSum + objective.Penalty();
            if (fullBatch && double.IsFinite(trainLoss))
            {
                TensorPrimitives.Multiply(epochGradient, (float)(1.0 / weightSum), epochGradient);
                objective.AddPenaltyGradient(epochGradient);
                learningRate = schedule.LearningRate(++step, epoch);
                optimizer.Step(network.Parameters, epochGradient, learningRate);
            }
            if (!double.IsFinite(trainLoss) || !AllFinite(network.Parameters))
            {
                // An epoch's loss is measured batch by batch before each update, so no epoch's final weights were ever measured,
                // and the steps that lead to divergence can leave them predicting NaN, or far worse than where training began.
                // So the best epoch's weights are measured on the training rows and kept only if they beat the initial weights,
                // measured too: rebuilt from the seed, as initialisation is the first draw from Random(seed).
                network.Restore(best);
                int carriedEpoch = bestEpoch;
                double carriedLoss = Evaluate(objective, train, workspace, batch, metric, targets, classWeights).ReportedLoss + objective.Penalty();
                if (carriedEpoch > 0)
                {
                    network.Initialize(o.Initializer, new Random(seed), o.EffectiveInitializerScale, o.InitialBias);
                    double initialLoss = Evaluate(objective, train, workspace, batch, metric, targets, classWeights).ReportedLoss + objective.Penalty();
                    if (initialLoss < carriedLoss || !double.IsFinite(carriedLoss))
                        (carriedEpoch, carriedLoss) = (0, initialLoss);
                    else
                        network.Restore(best);
                }
                string kept = !double.IsFinite(carriedLoss)
                    ? $"no usable model exists: even the initial weights give a training loss of {carriedLoss}, so check the features for extreme values"
                    : carriedEpoch == 0
                        ? $"kept the initial weights (training loss {carriedLoss:G5}), which no epoch improved on"
                        : $"kept the weights of epoch {carriedEpoch} (training loss {carriedLoss:G5}, measured on them)";
                var partial = Finish(network, info, targetScaler, history, StopReason.Diverged,
                    $"The training loss became {trainLoss} in epoch {epoch}; {kept}. Lower the learning rate (now {learningRate:G3}) or scale the features.",
                    carriedEpoch, seed, clock.Elapsed);
                throw new TrainingDivergedException(partial.Message, partial);
            }

            double trainMetric = metric.Value;
            if (o.MeasureTrainingSetAfterEpoch)
            {
                (double dataLoss, double reportedDataLoss, trainMetric) = Evaluate(objective, train, workspace, batch, metric, targets, classWeights);
                trainLoss = dataLoss + objective.Penalty();
                reportedTrainLoss = reportedDataLoss + objective.Penalty();
            }
            double? validationLoss = null, reportedValidationLoss = null, validationMetric = null;
            if (validation is not null)
            {
                var measured = Evaluate(objective, validation, workspace, batch, validationMetricAccumulator, targets, classWeights: null);
                (validationLoss, reportedValidationLoss, validationMetric) = (measured.Loss, measured.ReportedLoss, measured.Metric);
            }
            var record = new EpochRecord(epoch, o.Epochs, reportedTrainLoss, reportedValidationLoss, trainMetric, validationMetric, metric.Name,
                learningRate, clock.Elapsed - epochStart, clock.Elapsed);
            history.Add(record);
            progress?.Report(record);

            double monitored = validationLoss ?? trainLoss;
            if (monitored < bestMonitored - o.Tolerance)
                epochsWithoutImprovement = 0;
            else
                epochsWithoutImprovement++;
            if (monitored < bestMonitored)
            {
                bestMonitored = monitored;
                bestMonitoredReported = reportedValidationLoss ?? reportedTrainLoss;
                bestEpoch = epoch;
                network.SaveSnapshot(best);
            }
            schedule.EpochEnded(epoch, monitored);
            network.SaveSnapshot(lastGood);

            if (o.EarlyStopping && validation is not null && epochsWithoutImprovement >= o.Patience)
            {
                reason = StopReason.EarlyStopping;
                message = $"Validation loss did not improve by {o.Tolerance:G3} for {o.Patience} epochs; stopped at epoch {epoch} and restored epoch {bestEpoch} (validation loss {bestMonitoredReported:G5}).";
                break;
            }
            if (o.Convergence == ConvergenceCriterion.ParameterChange)
            {
                TensorPrimitives.Subtract(network.Parameters, previous, previous);
                double change = TensorPrimitives.Norm(previous);
                network.Parameters.CopyTo(previous, 0);
                if (change < o.Tolerance)
                {
                    reason = StopReason.Converged;
                    message = $"Converged at epoch {epoch}: the parameters moved {change:G3} (‖θ − θ_prev‖ < {o.Tolerance:G3}).";
                    break;
                }
            }
            else if (o.Convergence == ConvergenceCriterion.LossChange)
            {
                epochsWithoutLossChange = trainLoss > bestTrainLoss - o.Tolerance ? epochsWithoutLossChange + 1 : 0;
                bestTrainLoss = Math.Min(bestTrainLoss, trainLoss);
                if (epochsWithoutLossChange >= o.Patience)
                {
                    reason = StopReason.Converged;
                    message = $"Converged at epoch {epoch}: the training loss did not fall by {o.Tolerance:G3} for {o.Patience} epochs.";
                    break;
                }
            }
        }

        int keptEpoch = RestoreBestWhereChosen(network, reason, validation is not null, best, bestEpoch, bestMonitoredReported, history.Count, ref message);
        // Cancelled with no epoch measured: the weights at the end of the last whole epoch (the initial ones), not mid-epoch ones.
        if (reason == StopReason.Cancelled && bestEpoch <= 0) network.Restore(lastGood);
        return Finish(network, info, targetScaler, history, reason, message, keptEpoch, seed, clock.Elapsed);
    }

    /// <summary>
    /// Which weights to hand back, for every solver: the best epoch's (<paramref name="best"/>) when they were chosen on validation
    /// data or training was interrupted, saying so in <paramref name="message"/> when the stop reason alone would not; otherwise
    /// the network keeps the last epoch's. Returns the epoch whose weights the network now holds.
    /// </summary>
    internal int RestoreBestWhereChosen(NeuralNetwork network, StopReason reason, bool validated, float[] best, int bestEpoch,
        double bestValidationLoss, int epochs, ref string message)
    {
        bool restoreBest = reason is StopReason.EarlyStopping or StopReason.Cancelled || (validated && Options.RestoreBestWeights);
        if (!restoreBest || bestEpoch <= 0) return epochs;
        network.Restore(best);
        if (reason is StopReason.MaxEpochs or StopReason.Converged && bestEpoch != epochs)
            message += $" Restored epoch {bestEpoch}, which had the lowest validation loss ({bestValidationLoss:G5}).";
        return bestEpoch;
    }

    internal TrainingResult Finish(NeuralNetwork network, TrainingDataInfo info, FeatureScaler? targetScaler, List<EpochRecord> history, StopReason reason, string message, int keptEpoch, int seed, TimeSpan elapsed)
    {
        var model = new NeuralNetworkModel(network, Options with { Seed = seed }, info.ClassNames, info.FeatureNames, info.Scaler, history.ToArray(), targetScaler);
        return new TrainingResult(model, reason, message, keptEpoch, seed, elapsed);
    }

    private NeuralNetwork BuildNetwork(TrainingDataInfo info)
    {
        var o = Options;
        int outputs = o.Task switch
        {
            TaskKind.BinaryClassification when info.ClassNames is { Count: 2 } => 1,
            TaskKind.BinaryClassification => throw new ArgumentException($"Binary classification needs two class names; got {info.ClassNames?.Count ?? 0}."),
            TaskKind.MulticlassClassification when info.ClassNames is { Count: >= 2 } => info.ClassNames.Count,
            TaskKind.MulticlassClassification => throw new ArgumentException($"Multiclass classification needs at least two class names; got {info.ClassNames?.Count ?? 0}."),
            _ => info.TargetCount,
        };
        var output = o.Task switch
        {
            TaskKind.BinaryClassification => ActivationKind.Sigmoid,
            TaskKind.MulticlassClassification => ActivationKind.Softmax,
            _ => o.RegressionOutputActivation ?? ActivationKind.Identity,
        };
        var specs = o.EffectiveHiddenLayers.ToList();
        specs.Add(new LayerSpec(outputs, output));
        if (o.InputShape is { } shape && shape.Size != info.FeatureCount)
            throw new ArgumentException($"InputShape {shape} holds {shape.Size} values per example; the data have {info.FeatureCount} features.");
        return new NeuralNetwork(o.InputShape ?? LayerShape.Flat(info.FeatureCount), specs);
    }

    private Loss CreateLoss(NeuralNetwork network)
    {
        var kind = Options.Task switch
        {
            TaskKind.BinaryClassification => LossKind.BinaryCrossEntropy,
            TaskKind.MulticlassClassification => LossKind.CategoricalCrossEntropy,
            _ => LossKind.MeanSquaredError,
        };
        return Loss.Create(kind, network.Layers[^1].Activation);
    }

    /// <summary>
    /// Loss (as the optimiser sees it, and in the targets' units), and metric over a whole pass, in stored order, without touching
    /// the weights; the batches' targets scaled and, for the training rows, their classes weighted as in training.
    /// </summary>
    internal static (double Loss, double ReportedLoss, double Metric) Evaluate(Objective objective, IBatchSource validation, Workspace workspace,
        MiniBatch batch, MetricAccumulator metric, TargetUnits? targets, float[]? classWeights)
    {
        metric.Reset();
        double lossSum = 0, reportedLossSum = 0, weightSum = 0;
        using (var cursor = validation.Open(null))
        {
            while (cursor.Next(batch))
            {
                int n = batch.Rows;
                targets?.Scale(batch);
                if (classWeights is not null) ClassWeighting.Apply(batch, classWeights);
                ReadOnlySpan<float> weights = batch.HasWeights ? batch.Weights.AsSpan(0, n) : default;
                double batchLoss = objective.LossOnly(workspace, batch);
                lossSum += batchLoss;
                reportedLossSum += targets is null ? batchLoss : targets.LossSum(workspace.Output, batch.Labels, weights, n);
                weightSum += weights.IsEmpty ? n : TensorPrimitives.Sum(weights);
                metric.Add(workspace.Output, batch.Labels, weights, n, objective.Network.OutputCount);
            }
        }
        if (weightSum <= 0) throw new InvalidOperationException("The validation data produced no rows.");
        return (lossSum / weightSum, reportedLossSum / weightSum, metric.Value);
    }

    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (float v in values) if (!float.IsFinite(v)) return false;
        return true;
    }
}
