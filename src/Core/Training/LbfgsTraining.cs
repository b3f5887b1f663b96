using System.Diagnostics;
using MLNetNN.Data;
using MLNetNN.Networks;
using MLNetNN.Optimizers.Lbfgs;

namespace MLNetNN.Training;

/// <summary>
/// Training with <see cref="Optimizers.OptimizerKind.Lbfgs"/>: the <see cref="LbfgsMinimizer"/> runs over the network's parameters
/// on the whole training set's objective (<see cref="FullBatchObjective"/>), and each of its iterations is an epoch of the history,
/// with validation, progress, early stopping and cancellation as the trainer gives mini-batch epochs. An epoch record's learning
/// rate is the step length α the line search accepted. With an L1 term the solver runs as OWL-QN: the function it is given is
/// the objective without the L1 term, which the solver adds itself on the weights (not the biases), as the objective does.
/// </summary>
internal static class LbfgsTraining
{
    public static TrainingResult Run(NeuralNetworkTrainer trainer, Objective objective, IBatchSource train, IBatchSource? validation,
        TrainingDataInfo info, int seed, int? rowCountHint, IProgress<EpochRecord>? progress, CancellationToken cancellationToken)
    {
        var o = trainer.Options;
        var network = objective.Network;
        int labelWidth = objective.Loss.LabelWidth(network.OutputCount);
        int capacity = Math.Max(1, rowCountHint is int rows ? Math.Min(o.BatchSize, rows) : o.BatchSize);
        var workspace = new Workspace(network, capacity);
        var batch = new MiniBatch(workspace.Input, capacity, network.InputCount, labelWidth) { AllowsRowReferences = true };
        var metric = new MetricAccumulator(o.Task, labelWidth);
        var validationMetric = new MetricAccumulator(o.Task, labelWidth);
        float[] l1Strength = [];
        if (o.L1 > 0f)
        {
            objective = new Objective(network, objective.Loss, 0f, o.L2, o.EffectiveThreads);
            l1Strength = new float[network.ParameterCount];
            foreach (var (offset, length) in network.Layout.WeightSegments) Array.Fill(l1Strength, o.L1, offset, length);
        }
        // As mini-batch training does (NeuralNetworkTrainer.Train): targets scaled and classes weighted in every pass.
        var targetScaler = TargetUnits.Fit(train, batch, o.EffectiveTargetScaling);
        var targets = targetScaler is null ? null : new TargetUnits(targetScaler);
        float[]? classWeights = info.ClassNames is null ? null : ClassWeighting.Resolve(o, info.ClassNames, train, batch);
        var function = new FullBatchObjective(objective, train, workspace, batch, metric, targets, classWeights);
        var best = network.Snapshot();
        var history = new List<EpochRecord>();

        var clock = Stopwatch.StartNew();
        var iterationStart = TimeSpan.Zero;
        double bestMonitored = double.PositiveInfinity, bestMonitoredReported = double.PositiveInfinity;
        int bestEpoch = 0, epochsWithoutImprovement = 0;
        bool stoppedEarly = false;
        bool OnIteration(LbfgsIteration step)
        {
            double? validationLoss = null, reportedValidationLoss = null, validationValue = null;
            if (validation is not null)
                (validationLoss, reportedValidationLoss, validationValue) = NeuralNetworkTrainer.Evaluate(objective, validation, workspace, batch, validationMetric, targets, classWeights: null);
            var record = new EpochRecord(step.Iteration, o.Epochs, function.InTargetUnits(step.Value), reportedValidationLoss, function.Metric, validationValue, metric.Name,
                (float)step.StepLength, clock.Elapsed - iterationStart, clock.Elapsed);
            iterationStart = clock.Elapsed;
            history.Add(record);
            progress?.Report(record);

            double monitored = validationLoss ?? step.Value;
            epochsWithoutImprovement = monitored < bestMonitored - o.Tolerance ? 0 : epochsWithoutImprovement + 1;
            if (monitored < bestMonitored)
            {
                (bestMonitored, bestMonitoredReported, bestEpoch) = (monitored, reportedValidationLoss ?? record.TrainLoss, step.Iteration);
                network.SaveSnapshot(best);
            }
            stoppedEarly = o.EarlyStopping && validation is not null && epochsWithoutImprovement >= o.Patience;
            return !stoppedEarly;
        }

        var result = o.CreateLbfgsMinimizer().Minimize(function, network.Parameters, l1Strength, OnIteration, cancellationToken);
        var (reason, message) = result.Reason switch
        {
            LbfgsExitCondition.GradientTolerance or LbfgsExitCondition.FunctionTolerance => (StopReason.Converged, $"L-BFGS converged: {result.Message}"),
            // No step lowers the loss at float precision: where a run with a tolerance tighter than that precision ends, so it counts as
            // converged, but the message says the tolerance was not met (scipy calls it an abnormal line-search termination).
            LbfgsExitCondition.LineSearchFailed => (StopReason.Converged,
                $"L-BFGS stopped short of the tolerance ({o.Tolerance:G3}): {result.Message} The largest gradient component is {result.GradientMaxNorm:G3}."),
            LbfgsExitCondition.MaxIterations => (StopReason.MaxEpochs, $"Reached the epoch limit ({o.Epochs} L-BFGS iterations); the largest gradient component is {result.GradientMaxNorm:G3}."),
            LbfgsExitCondition.MaxFunctionEvaluations => (StopReason.MaxEpochs, $"Reached the limit of {o.MaxFunctionEvaluations} passes over the training data (MaxFunctionEvaluations) after {result.Iterations} L-BFGS iterations."),
            LbfgsExitCondition.StoppedByCaller when stoppedEarly => (StopReason.EarlyStopping,
                $"Validation loss did not improve by {o.Tolerance:G3} for {o.Patience} epochs; stopped at epoch {result.Iterations} and restored epoch {bestEpoch} (validation loss {bestMonitoredReported:G5})."),
            LbfgsExitCondition.Cancelled => (StopReason.Cancelled, history.Count == 0
                ? "Cancelled before the first L-BFGS iteration ended; the model holds its initial weights."
                : $"Cancelled during epoch {history.Count + 1}; kept the weights of epoch {bestEpoch}, the best so far."),
            _ => (StopReason.Diverged, $"The training loss or its gradient became NaN or infinite after {result.Iterations} L-BFGS iterations; kept the weights of epoch {result.Iterations}. Scale the features."),
        };
        if (reason == StopReason.Diverged)
        {
            var partial = trainer.Finish(network, info, targetScaler, history, reason, message, result.Iterations, seed, clock.Elapsed);
            throw new TrainingDivergedException(partial.Message, partial);
        }

        // The same choice of weights as mini-batch training: the best epoch's when validation chose it or training was interrupted.
        int keptEpoch = trainer.RestoreBestWhereChosen(network, reason, validation is not null, best, bestEpoch, bestMonitoredReported, history.Count, ref message);
        return trainer.Finish(network, info, targetScaler, history, reason, message, keptEpoch, seed, clock.Elapsed);
    }
}
