using MLNetNN.Activations;
using MLNetNN.Data;
using MLNetNN.Networks;

namespace MLNetNN.Serialization;

/// <summary>
/// The rule by which model files refuse finite weights that are too large: a model must compute finite values for every raw row
/// whose features lie within ±<see cref="RawInputRange"/> of zero or of the scaler's offset (the training mean or minimum).
/// Checked by interval arithmetic, in double: each pre-activation satisfies |z_j| ≤ |b_j| + Σ_i |W_ij|·bound_i, each
/// activation's output is bounded from its input's bound, and no bound may exceed half of float's range (the other half absorbs
/// the rounding of float sums). This needs no sample data and holds for every row in the range, however the kernels order their sums.
/// </summary>
/// <remarks>
/// The bound is loose for deep networks: it multiplies the layers' worst cases. The writer applies the same rule, so a model
/// that breaks it is refused when saved, not when read back.
/// </remarks>
internal static class OverflowBound
{
    /// <summary>How far from zero or from the training offset a raw feature may be with the guarantee holding.</summary>
    public const double RawInputRange = 1e4;

    private const double Limit = float.MaxValue / 2.0;

    /// <summary>
    /// The first weight or pre-activation that breaks the rule, described; null when the network satisfies it. With a
    /// <paramref name="targetScaler"/> the rule covers the predictions too: each output's bound, mapped back to the targets' units
    /// (divided by the scale, plus the offset), must stay within the limit.
    /// </summary>
    public static string? Problem(NeuralNetwork network, FeatureScaler? scaler, FeatureScaler? targetScaler = null)
    {
        var parameters = network.Parameters;
        for (int i = 0; i < parameters.Length; i++)
            if (!float.IsFinite(parameters[i])) return $"parameter {i} is {parameters[i]}; a usable model has finite weights.";
        var state = network.State;
        for (int i = 0; i < state.Length; i++)
            if (!float.IsFinite(state[i])) return $"state value {i} (a running statistic) is {state[i]}; a usable model has finite ones.";

        var bound = new double[network.InputCount];
        for (int j = 0; j < bound.Length; j++)
        {
            bound[j] = scaler is null ? RawInputRange : (RawInputRange + Math.Abs(scaler.Offset[j])) * Math.Abs(scaler.Scale[j]);
            if (bound[j] > Limit) return $"the scaler turns feature {j + 1} into values up to {bound[j]:G3}, which overflow float.";
        }
        for (int l = 0; l < network.Layers.Count; l++)
        {
            var layer = network.Layers[l];
            string? stateProblem = layer.StateProblem(network.LayerState(l));
            if (stateProblem is not null) return $"layer {l + 1} ({layer.Kind}): {stateProblem}";
            var next = new double[layer.Units];
            layer.BoundOutputs(bound, next, network.Parameters, network.State);
            var activation = layer.Activation;
            for (int j = 0; j < next.Length; j++)
            {
                if (!(next[j] <= Limit))
                    return $"layer {l + 1}'s weights are large enough to overflow float: unit {j + 1} can reach {next[j]:G3} for rows within ±{RawInputRange:G} of the training data.";
                next[j] = activation.Kind switch
                {
                    ActivationKind.Sigmoid or ActivationKind.Tanh or ActivationKind.Step or ActivationKind.Softmax => 1,
                    ActivationKind.LeakyReLU => Math.Max(1, activation.Alpha) * next[j],
                    ActivationKind.ELU => Math.Max(next[j], activation.Alpha),
                    ActivationKind.Softplus => next[j] + Math.Log(2),
                    _ => next[j],
                };
            }
            bound = next;
        }
        if (targetScaler is not null)
            for (int j = 0; j < bound.Length; j++)
            {
                double target = bound[j] / Math.Abs(targetScaler.Scale[j]) + Math.Abs(targetScaler.Offset[j]);
                if (!(target <= Limit))
                    return $"the target scaler maps output {j + 1} to values up to {target:G3} for rows within ±{RawInputRange:G} of the training data, which overflow float.";
            }
        return null;
    }
}
