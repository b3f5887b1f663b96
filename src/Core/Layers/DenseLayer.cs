using System.Numerics.Tensors;
using MLNetNN.Activations;
using MLNetNN.Initialization;
using MLNetNN.Networks;
using MLNetNN.Numerics;

namespace MLNetNN.Layers;

/// <summary>
/// A fully connected layer: <c>Z = X·W + b</c>, <c>A = f(Z)</c>, with X the batch (rows × inputs), W inputs × units (row i holds
/// the weights leaving input i, as in the lecture's W), b one bias per unit.
/// The layer owns no numbers: W and b live in the network's flat parameter buffer at <see cref="Layer.WeightOffset"/> and <see cref="Layer.BiasOffset"/>.
/// </summary>
public sealed class DenseLayer : Layer
{
    internal DenseLayer(LayerShape input, int units, Activation activation, int weightOffset)
        : base(input, LayerShape.Flat(CheckUnits(units)), activation, weightOffset, (long)input.Size * units, units)
    {
        if (input.IsImage)
            throw new ArgumentException($"A dense layer takes a flat input; this one would get an image of {input}. Put a flatten layer before it.", nameof(input));
    }

    /// <summary><paramref name="units"/>, if a layer can have that many: at least one.</summary>
    internal static int CheckUnits(int units) =>
        units >= 1 ? units : throw new ArgumentOutOfRangeException(nameof(units), units, "A layer needs at least one unit.");

    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.Dense;

    /// <inheritdoc/>
    public override LayerSpec ToSpec() => new(Units, Activation.Kind, Activation.Alpha == 0f ? null : Activation.Alpha);

    internal override bool ReadsListedRows => true;

    /// <summary>Weights (Glorot, He, uniform or normal over fan-in × fan-out = inputs × units), biases all <paramref name="bias"/>.</summary>
    internal override void Initialize(Span<float> weights, Span<float> biases, InitializerKind kind, float scale, float bias, Random random)
    {
        WeightInitializer.Fill(weights, Inputs, Units, kind, scale, random);
        biases.Fill(bias);
    }

    /// <summary>
    /// <c>Z = X·W + b</c> then <c>A = f(Z)</c> for <paramref name="rows"/> examples: the first rows of <paramref name="input"/>,
    /// or the rows <paramref name="inputRows"/> lists, which are also copied into <paramref name="gatherInto"/> unless it is empty.
    /// </summary>
    internal override void Forward(in LayerPass pass, ReadOnlySpan<float> input, ReadOnlySpan<int> inputRows, Span<float> gatherInto, int first, int rows, Span<float> z, Span<float> a) =>
        Forward(pass.Parameters, input, inputRows, gatherInto, rows, z, a, pass.Threads);

    private void Forward(float[] parameters, ReadOnlySpan<float> input, ReadOnlySpan<int> inputRows, Span<float> gatherInto, int rows, Span<float> z, Span<float> a, int threads)
    {
        int n = rows * Units;
        // The bias is the product's starting value, so Z is written once.
        MatrixMultiply.Multiply(input, parameters.AsSpan(WeightOffset, Inputs * Units), z, rows, Units, Inputs, MatrixMultiply.Transpose.None,
            accumulate: false, threads, bias: parameters.AsSpan(BiasOffset, Units), aRows: inputRows, gatherInto: gatherInto);
        if (n >= ShortestVectorSpan || Activation.Kind == ActivationKind.Softmax)
        {
            Activation.Forward(z[..n], a[..n], Units);
            return;
        }
        // TensorPrimitives computes fewer values than a vector holds with scalar code, whose exponential rounds otherwise than
        // its vector code: a one-row prediction of a binary model's sigmoid output differed from the same row's in a batch. A
        // short span is computed in a vector's worth of room, so every value comes from the vector code (softmax goes by row).
        Span<float> zPadded = stackalloc float[ShortestVectorSpan], aPadded = stackalloc float[ShortestVectorSpan];
        zPadded.Clear();
        z[..n].CopyTo(zPadded);
        Activation.Forward(zPadded, aPadded, Units);
        aPadded[..n].CopyTo(a);
    }

    /// <summary>Values the widest vector path of <see cref="TensorPrimitives"/> takes at once (AVX-512's 16 floats).</summary>
    private const int ShortestVectorSpan = 16;

    /// <summary>
    /// From <c>G = ∂L/∂Z</c> (rows × units): <c>∂L/∂W = Xᵀ·G</c> and <c>∂L/∂b = Σ_rows G</c> into <paramref name="gradients"/>,
    /// and, unless <paramref name="gradInput"/> is empty, <c>∂L/∂X = G·Wᵀ</c>.
    /// </summary>
    internal override void Backward(in LayerPass pass, ReadOnlySpan<float> input, int rows, Span<float> gradZ, float[] gradients, Span<float> gradInput)
    {
        float[] parameters = pass.Parameters;
        MatrixMultiply.Multiply(input, gradZ, gradients.AsSpan(WeightOffset, Inputs * Units), Inputs, Units, rows, MatrixMultiply.Transpose.A, accumulate: false, pass.Threads);
        ColumnSums.Of(gradZ, rows, Units, gradients.AsSpan(BiasOffset, Units));
        if (!gradInput.IsEmpty)
            MatrixMultiply.Multiply(gradZ, parameters.AsSpan(WeightOffset, Inputs * Units), gradInput, rows, Inputs, Units, MatrixMultiply.Transpose.B, accumulate: false, pass.Threads);
    }

    /// <summary><c>|z_j| ≤ |b_j| + Σ_i |W_ij|·bound_i</c>.</summary>
    internal override void BoundOutputs(ReadOnlySpan<double> input, Span<double> output, ReadOnlySpan<float> parameters, ReadOnlySpan<float> state)
    {
        var weights = parameters.Slice(WeightOffset, WeightCount);
        var biases = parameters.Slice(BiasOffset, Units);
        for (int j = 0; j < output.Length; j++) output[j] = Math.Abs(biases[j]);
        for (int i = 0; i < Inputs; i++)
        {
            var row = weights.Slice(i * Units, Units);
            for (int j = 0; j < output.Length; j++) output[j] += Math.Abs(row[j]) * input[i];
        }
    }
}
