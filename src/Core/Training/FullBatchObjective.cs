using System.Numerics.Tensors;
using MLNetNN.Data;
using MLNetNN.Networks;
using MLNetNN.Optimizers.Lbfgs;

namespace MLNetNN.Training;

/// <summary>
/// The training objective <c>J(θ)</c> over every training row, as a function of the network's parameters for a full-batch solver:
/// one pass over the data, a chunk of rows at a time through <see cref="Objective"/>, the chunks' gradients summed and divided by
/// the total example weight, then the penalty's gradient added (as full-batch gradient descent does within its epoch).
/// The training metric of the last evaluation is kept, which after a solver's step is the new point's.
/// </summary>
internal sealed class FullBatchObjective(Objective objective, IBatchSource train, Workspace workspace, MiniBatch batch, MetricAccumulator metric)
    : IDifferentiableFunction
{
    private readonly float[] _chunkGradient = new float[objective.Network.ParameterCount];

    /// <summary>The training metric (accuracy or R²) at the point last evaluated.</summary>
    public double Metric => metric.Value;

    /// <inheritdoc/>
    public double ValueAndGradient(ReadOnlySpan<float> x, Span<float> gradient)
    {
        var network = objective.Network;
        // The network computes at its own parameters; the trainer hands the solver that very buffer, so this copies only for other callers.
        if (x != network.Parameters) x.CopyTo(network.Parameters);
        gradient.Clear();
        metric.Reset();
        double lossSum = 0, weightSum = 0;
        using (var cursor = train.Open(null))
        {
            while (cursor.Next(batch))
            {
                int n = batch.Rows;
                ReadOnlySpan<float> weights = batch.HasWeights ? batch.Weights.AsSpan(0, n) : default;
                lossSum += objective.LossAndGradient(workspace, batch, _chunkGradient, 1f);
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
        return lossSum / weightSum + objective.Penalty();
    }
}
