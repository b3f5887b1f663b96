using System.Globalization;
using MLNetNN.Activations;
using MLNetNN.Networks;

namespace MLNetNN.Layers;

/// <summary>
/// Batch normalisation (Ioffe and Szegedy), per channel: <c>y = γ·(x − μ)/√(σ² + ε) + β</c>, with μ and σ² the batch's mean and
/// (biased) variance over its rows and an image's pixels in a training step, and the running statistics at inference. A flat
/// input's values are its channels. The convention is Keras's: after each training batch
/// <c>running = momentum·running + (1 − momentum)·batch</c> (momentum 0.99 by default; PyTorch's momentum 0.1 is Keras's 0.9),
/// the running variance follows the batch's biased variance (PyTorch keeps the unbiased one), and ε = 1e-3 (PyTorch: 1e-5).
/// </summary>
/// <remarks>
/// γ and β are parameters that are not regularised (they follow the weights' range, as biases do); the running mean and variance
/// are state. In training the layer needs the whole batch, so the network ends a split run of layers before it; the statistics
/// are summed in double over the rows in order, so they do not depend on the thread count. Z holds x̂, and the workspace keeps
/// each channel's batch mean and 1/√(σ² + ε) for the backward pass.
/// </remarks>
public sealed class BatchNormalizationLayer : Layer
{
    internal BatchNormalizationLayer(LayerShape input, float momentum, float epsilon, int parameterOffset, int stateOffset)
        : base(input, input, Activation.Create(ActivationKind.Identity), parameterOffset, 0, 2L * input.Channels, stateOffset, 2 * input.Channels)
    {
        CheckSettings(momentum, epsilon);
        Momentum = momentum;
        Epsilon = epsilon;
    }

    /// <summary>Refuses a momentum outside [0, 1) or an ε that is not positive and finite.</summary>
    internal static void CheckSettings(float momentum, float epsilon)
    {
        if (momentum is not (>= 0f and < 1f))
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, string.Create(CultureInfo.InvariantCulture, $"Batch normalisation's momentum is the share of the running statistics each batch keeps, in [0, 1); got {momentum}."));
        if (!(epsilon > 0f && float.IsFinite(epsilon)))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, string.Create(CultureInfo.InvariantCulture, $"Batch normalisation's epsilon must be positive and finite; got {epsilon}."));
    }

    /// <summary>How much of the running statistics each training batch keeps.</summary>
    public float Momentum { get; }

    /// <summary>Added to the variance before its square root.</summary>
    public float Epsilon { get; }

    /// <summary>Channels normalised apart (a flat input's width).</summary>
    public int Channels => InputShape.Channels;

    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.BatchNormalization;

    /// <inheritdoc/>
    public override LayerSpec ToSpec() => LayerSpec.BatchNormalization(Momentum, Epsilon);

    internal override bool IsRowIndependent(bool training) => !training;

    internal override long MultiplyAddsPerRow => Units;

    /// <summary>Each channel's batch mean and 1/√(σ² + ε) of the last training batch.</summary>
    internal override int ScratchLength(int capacity) => 2 * Channels;

    /// <summary>γ = 1, β = 0 (Keras's and PyTorch's start).</summary>
    internal override void Initialize(Span<float> weights, Span<float> biases, Initialization.InitializerKind kind, float scale, float bias, Random random)
    {
        biases[..Channels].Fill(1f);
        biases[Channels..].Clear();
    }

    /// <summary>Running mean 0, running variance 1.</summary>
    internal override void ResetState(Span<float> state)
    {
        state[..Channels].Clear();
        state[Channels..].Fill(1f);
    }

    internal override void Forward(in LayerPass pass, ReadOnlySpan<float> input, ReadOnlySpan<int> inputRows, Span<float> gatherInto, int first, int rows, Span<float> z, Span<float> a)
    {
        int channels = Channels, count = rows * InputShape.Positions;
        var gamma = pass.Parameters.AsSpan(BiasOffset, channels);
        var beta = pass.Parameters.AsSpan(BiasOffset + channels, channels);
        var runningMean = pass.State.AsSpan(StateOffset, channels);
        var runningVariance = pass.State.AsSpan(StateOffset + channels, channels);
        var kept = pass.Workspace.Scratch[pass.Index];
        for (int c = 0; c < channels; c++)
        {
            float mean, inverse;
            if (pass.Training)
            {
                double sum = 0, squares = 0;
                for (int i = 0; i < count; i++) sum += input[i * channels + c];
                double batchMean = sum / count;
                for (int i = 0; i < count; i++)
                {
                    double d = input[i * channels + c] - batchMean;
                    squares += d * d;
                }
                double variance = squares / count;
                mean = (float)batchMean;
                inverse = (float)(1.0 / Math.Sqrt(variance + Epsilon));
                (kept[c], kept[channels + c]) = (mean, inverse);
                runningMean[c] = (float)(Momentum * (double)runningMean[c] + (1.0 - Momentum) * batchMean);
                runningVariance[c] = (float)(Momentum * (double)runningVariance[c] + (1.0 - Momentum) * variance);
            }
            else
            {
                mean = runningMean[c];
                inverse = (float)(1.0 / Math.Sqrt(runningVariance[c] + (double)Epsilon));
            }
            float g = gamma[c], b = beta[c];
            for (int i = 0; i < count; i++)
            {
                int k = i * channels + c;
                float normalized = (input[k] - mean) * inverse;
                z[k] = normalized;
                a[k] = g * normalized + b;
            }
        }
    }

    /// <summary>
    /// <c>∂L/∂β = Σ G</c>, <c>∂L/∂γ = Σ G·x̂</c>, and <c>∂L/∂x = γ/(M·√(σ² + ε))·(M·G − ∂L/∂β − x̂·∂L/∂γ)</c> per channel, M being
    /// its values in the batch: the batch statistics depend on every row, so each row's gradient does too.
    /// </summary>
    internal override void Backward(in LayerPass pass, ReadOnlySpan<float> input, int rows, Span<float> gradZ, float[] gradients, Span<float> gradInput)
    {
        int channels = Channels, count = rows * InputShape.Positions;
        var z = pass.Workspace.Z[pass.Index];
        var kept = pass.Workspace.Scratch[pass.Index];
        for (int c = 0; c < channels; c++)
        {
            double sumG = 0, sumGx = 0;
            for (int i = 0; i < count; i++)
            {
                int k = i * channels + c;
                sumG += gradZ[k];
                sumGx += (double)gradZ[k] * z[k];
            }
            gradients[BiasOffset + c] = (float)sumGx;
            gradients[BiasOffset + channels + c] = (float)sumG;
            if (gradInput.IsEmpty) continue;
            double scale = pass.Parameters[BiasOffset + c] * (double)kept[channels + c] / count;
            for (int i = 0; i < count; i++)
            {
                int k = i * channels + c;
                gradInput[k] = (float)(scale * (count * (double)gradZ[k] - sumG - z[k] * sumGx));
            }
        }
    }

    /// <summary><c>|y| ≤ |γ|·(|x| + |μ|)/√(σ² + ε) + |β|</c> with the running statistics.</summary>
    internal override void BoundOutputs(ReadOnlySpan<double> input, Span<double> output, ReadOnlySpan<float> parameters, ReadOnlySpan<float> state)
    {
        int channels = Channels;
        for (int k = 0; k < output.Length; k++)
        {
            int c = k % channels;
            double inverse = 1.0 / Math.Sqrt(state[StateOffset + channels + c] + (double)Epsilon);
            output[k] = Math.Abs(parameters[BiasOffset + c]) * (input[k] + Math.Abs(state[StateOffset + c])) * inverse + Math.Abs(parameters[BiasOffset + channels + c]);
        }
    }

    /// <summary>A running variance must not be negative (its square root is taken).</summary>
    internal override string? StateProblem(ReadOnlySpan<float> state)
    {
        for (int c = 0; c < Channels; c++)
            if (!(state[Channels + c] >= 0f)) return $"the running variance of channel {c + 1} is {state[Channels + c]}; a variance is not negative.";
        return null;
    }
}
