using System.Globalization;
using MLNetNN.Activations;
using MLNetNN.Networks;

namespace MLNetNN.Layers;

/// <summary>
/// Inverted dropout (Keras's <c>Dropout(rate)</c>): in a training step each value is kept with probability 1 − rate and scaled by
/// 1 / (1 − rate), so the expected output equals the input; at inference the layer is the identity and needs no rescaling.
/// </summary>
/// <remarks>
/// Whether a value is kept is a counter-based hash of the run's seed, the training step, the layer's position, the row within the
/// batch and the value's index: no generator state is shared, so the masks, and so the trained weights, are the same whatever the
/// thread count and however a batch's rows are split. The factors of the mask are kept in the workspace for the backward pass.
/// </remarks>
public sealed class DropoutLayer : Layer
{
    internal DropoutLayer(LayerShape input, float rate, int parameterOffset)
        : base(input, input, Activation.Create(ActivationKind.Identity), parameterOffset, 0, 0)
    {
        Rate = CheckRate(rate);
    }

    /// <summary><paramref name="rate"/>, if it is a share of values that can be dropped: in [0, 1).</summary>
    internal static float CheckRate(float rate) => rate is >= 0f and < 1f ? rate
        : throw new ArgumentOutOfRangeException(nameof(rate), rate, string.Create(CultureInfo.InvariantCulture, $"A dropout rate is the share of values dropped, in [0, 1); got {rate}."));

    /// <summary>The share of values dropped in training.</summary>
    public float Rate { get; }

    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.Dropout;

    /// <inheritdoc/>
    public override LayerSpec ToSpec() => LayerSpec.Dropout(Rate);

    internal override bool KeepsPreActivation => false;

    internal override long MultiplyAddsPerRow => Units;

    /// <summary>The mask's factors (0 or 1 / (1 − rate)) of the last training batch.</summary>
    internal override int ScratchLength(int capacity) => capacity * Units;

    internal override void Forward(in LayerPass pass, ReadOnlySpan<float> input, ReadOnlySpan<int> inputRows, Span<float> gatherInto, int first, int rows, Span<float> z, Span<float> a)
    {
        int n = rows * Units;
        if (!pass.Training)
        {
            input[..n].CopyTo(a);
            return;
        }
        var mask = pass.Workspace.Scratch[pass.Index].AsSpan(first * Units, n);
        float keep = 1f / (1f - Rate);
        // A value is kept when a uniform draw in [0, 1) with 24 bits is at least the rate: exactly a rate of 0 keeps everything.
        uint threshold = (uint)Math.Ceiling(Rate * (double)(1 << 24));
        for (int r = 0; r < rows; r++)
        {
            ulong rowKey = RowKey(pass.Seed, pass.Step, pass.Index, first + r);
            for (int j = 0; j < Units; j++)
            {
                int i = r * Units + j;
                mask[i] = Draw(rowKey, j) >= threshold ? keep : 0f;
                a[i] = input[i] * mask[i];
            }
        }
    }

    internal override void Backward(in LayerPass pass, ReadOnlySpan<float> input, int rows, Span<float> gradZ, float[] gradients, Span<float> gradInput)
    {
        if (gradInput.IsEmpty) return;
        var mask = pass.Workspace.Scratch[pass.Index].AsSpan(0, rows * Units);
        for (int i = 0; i < mask.Length; i++) gradInput[i] = gradZ[i] * mask[i];
    }

    internal override void BoundOutputs(ReadOnlySpan<double> input, Span<double> output, ReadOnlySpan<float> parameters, ReadOnlySpan<float> state) =>
        input.CopyTo(output);

    /// <summary>A key for one row of one step of one layer: seed, step, layer and row mixed into 64 bits.</summary>
    private static ulong RowKey(int seed, long step, int layer, int row) =>
        Mix(Mix((ulong)(uint)seed ^ ((ulong)(uint)layer << 32)) ^ Mix((ulong)step) * 0x9E3779B97F4A7C15UL ^ (ulong)(uint)row * 0xC2B2AE3D27D4EB4FUL);

    /// <summary>24 uniform bits for value <paramref name="index"/> of the row with key <paramref name="rowKey"/>.</summary>
    internal static uint Draw(ulong rowKey, int index) => (uint)(Mix(rowKey + (ulong)(uint)index * 0x9E3779B97F4A7C15UL) >> 40);

    /// <summary>SplitMix64's finaliser: every input bit affects every output bit.</summary>
    private static ulong Mix(ulong x)
    {
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
