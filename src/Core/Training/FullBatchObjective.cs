using System.Numerics.Tensors;
using MLNetNN.Data;
using MLNetNN.Networks;
using MLNetNN.Optimizers.Lbfgs;

namespace MLNetNN.Training;

/// <summary>
/// The training objective <c>J(θ)</c> over every training row, as a function of the network's parameters for a full-batch solver:
/// one pass over the data, a chunk of rows at a time through <see cref="Objective"/>, the chunks' gradients summed and divided by
/// the total example weight, then the penalty's gradient added (as full-batch gradient descent does within its epoch).
/// Each chunk's targets are scaled and its classes weighted as in mini-batch training. The training metric and the loss in the
/// targets' units of the last evaluation are kept, which after a solver's step are the new point's.
/// </summary>
internal sealed class FullBatchObjective(Objective objective, IBatchSource train, Workspace workspace, MiniBatch batch, MetricAccumulator metric,
    TargetUnits? targets, float[]? classWeights)
    : IDifferentiableFunction
{
    private readonly float[] _chunkGradient = new float[objective.Network.ParameterCount];

    /// <summary>The training metric (accuracy or R²) at the point last evaluated.</summary>
    public double Metric => metric.Value;

    private double _lastValue, _lastReportedValue;

    /// <summary>
    /// <paramref name="value"/>, a value of the objective at the point last evaluated (with any term the solver adds itself, as
    /// OWL-QN adds L1), with its loss in the targets' own units, as the history reports it.
    /// </summary>
    public double InTargetUnits(double value) => value - _lastValue + _lastReportedValue;

    /// <inheritdoc/>
    public double ValueAndGradient(ReadOnlySpan<float> x, Span<float> gradient)
    {
        var network = objective.Network;
        // The network computes at its own parameters; the trainer hands the solver that very buffer, so this copies only for other callers.
        if (x != network.Parameters) x.CopyTo(network.Parameters);
        gradient.Clear();
        metric.Reset();
        double lossSum = 0, reportedLossSum = 0, weightSum = 0;
        using (var cursor = train.Open(null))
        {
            while (cursor.Next(batch))
            {
                int n = batch.Rows;
                targets?.Scale(batch);
                if (classWeights is not null) ClassWeighting.Apply(batch, classWeights);
                ReadOnlySpan<float> weights = batch.HasWeights ? batch.Weights.AsSpan(0, n) : default;
                double chunkLoss = objective.LossAndGradient(workspace, batch, _chunkGradient, 1f);
                lossSum += chunkLoss;
                reportedLossSum += targets is null ? chunkLoss : targets.LossSum(workspace.Output, batch.Labels, weights, n);
                weightSum += weights.IsEmpty ? n : TensorPrimitives.Sum(weights);
                metric.Add(workspace.Output, batch.Labels, weights, n, network.OutputCount);
                foreach (Range r in Numerics.CacheSlices.Of(gradient.Length))
                    TensorPrimitives.Add(gradient[r], _chunkGradient.AsSpan(r), gradient[r]);
            }
        }
        if (weightSum <= 0) throw new InvalidOperationException("The training data produced no rows (or only rows of zero weight).");
        foreach (Range r in Numerics.CacheSlices.Of(gradient.Length))
            TensorPrimitives.Multiply(gradient[r], (float)(1.0 / weightSum), gradient[r]);
        objective.AddPenaltyGradient(gradient);
        (_lastValue, _lastReportedValue) = (lossSum / weightSum, reportedLossSum / weightSum);
        return _lastValue + objective.Penalty();
    }
}
