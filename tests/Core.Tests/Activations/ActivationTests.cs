using MLNetNN.Activations;
using Xunit;

namespace MLNetNN.Tests.Activations;

public class ActivationTests
{
    public static TheoryData<ActivationKind> ElementWise() =>
        [ActivationKind.Identity, ActivationKind.Sigmoid, ActivationKind.Tanh, ActivationKind.ReLU, ActivationKind.LeakyReLU, ActivationKind.ELU, ActivationKind.Softplus];

    [Theory]
    [MemberData(nameof(ElementWise))]
    public void SpanForwardAndBackwardAgreeWithTheScalarFormulaForManyLengths(ActivationKind kind)
    {
        var f = Activation.Create(kind);
        // Lengths around vector widths catch remainder-loop mistakes, as TensorPrimitives' own tests do.
        foreach (int n in new[] { 1, 3, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100 })
        {
            var z = Enumerable.Range(0, n).Select(i => (float)(-6 + 12.0 * i / Math.Max(1, n - 1)) + 0.013f).ToArray();
            var a = new float[n];
            f.Forward(z, a, n);
            var upstream = Enumerable.Range(0, n).Select(i => 0.5f + 0.1f * (i % 5)).ToArray();
            var gz = new float[n];
            f.Backward(z, a, upstream, gz, n);
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(f.Value(z[i]), a[i], 5);
                Assert.Equal(f.Derivative(z[i]) * upstream[i], gz[i], 4);
            }
        }
    }

    [Theory]
    [MemberData(nameof(ElementWise))]
    public void AWholeBatchGivesEachRowWhatTheRowAloneGets(ActivationKind kind)
    {
        // 1,000 rows × 100 units is longer than the slices long outputs are split into (so they stay in cache), with a remainder:
        // every value must be what a single row, as one prediction computes it, gets.
        var f = Activation.Create(kind);
        const int rows = 1_000, units = 100;
        var random = new Random(6);
        var z = Enumerable.Range(0, rows * units).Select(_ => (float)(random.NextDouble() * 16 - 8)).ToArray();
        var batch = new float[z.Length];
        f.Forward(z, batch, units);
        var one = new float[units];
        for (int r = 0; r < rows; r++)
        {
            f.Forward(z.AsSpan(r * units, units), one, units);
            Assert.True(one.AsSpan().SequenceEqual(batch.AsSpan(r * units, units)), $"{kind}: row {r} differs");
        }
    }

    [Theory]
    [MemberData(nameof(ElementWise))]
    public void ScalarDerivativeMatchesFiniteDifference(ActivationKind kind)
    {
        var f = Activation.Create(kind);
        foreach (float z in new[] { -4.1f, -1.3f, -0.2f, 0.3f, 1.7f, 3.9f })
        {
            double numeric = (f.Value(z + 1e-3f) - f.Value(z - 1e-3f)) / 2e-3;
            Assert.Equal(numeric, f.Derivative(z), 2);
        }
    }

    [Fact]
    public void FormulasMatchKnownValues()
    {
        Assert.Equal(0.5f, Activation.Create(ActivationKind.Sigmoid).Value(0f));
        Assert.Equal(0.7310586f, Activation.Create(ActivationKind.Sigmoid).Value(1f), 6);
        Assert.Equal(MathF.Log(2f), Activation.Create(ActivationKind.Softplus).Value(0f), 6);
        Assert.Equal(100f, Activation.Create(ActivationKind.Softplus).Value(100f), 3);
        Assert.Equal(-0.02f, Activation.Create(ActivationKind.LeakyReLU).Value(-2f), 6);
        Assert.Equal(-0.2f, Activation.Create(ActivationKind.LeakyReLU, 0.1f).Value(-2f), 6);
        Assert.Equal(MathF.Exp(-1) - 1, Activation.Create(ActivationKind.ELU).Value(-1f), 6);
        Assert.Equal(1f, Activation.Create(ActivationKind.Step).Value(0f));
        Assert.Equal(0f, Activation.Create(ActivationKind.Step).Value(-0.001f));
        Assert.False(Activation.Create(ActivationKind.Step).IsDifferentiable);
    }

    [Fact]
    public void SoftmaxRowsSumToOneAndSurviveHugeLogits()
    {
        var softmax = Activation.Create(ActivationKind.Softmax);
        float[] z = [1000f, 1001f, 999f, -5f, 0f, 5f];
        var a = new float[6];
        softmax.Forward(z, a, 3);
        Assert.All(a, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(1f, a[0] + a[1] + a[2], 5);
        Assert.Equal(1f, a[3] + a[4] + a[5], 5);
        Assert.Equal(0.66524096f, a[1], 5);
        Assert.Throws<ArgumentException>(() => softmax.Forward(z, a, 4));
    }

    [Fact]
    public void SoftmaxOfInfiniteLogitsIsItsLimit()
    {
        // Max-subtraction alone gives ∞ − ∞ = NaN; the limit shares the probability among the +∞ logits, as sigmoid(+∞) = 1.
        var softmax = Activation.Create(ActivationKind.Softmax);
        float[] z = [float.PositiveInfinity, 3e38f, -1f, float.PositiveInfinity, 0f, float.PositiveInfinity, float.NegativeInfinity, 2f, 2f];
        var a = new float[9];
        softmax.Forward(z, a, 3);
        Assert.Equal([1f, 0f, 0f, 0.5f, 0f, 0.5f, 0f, 0.5f, 0.5f], a);
    }

    [Fact]
    public void InvalidAlphaIsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Activation.Create(ActivationKind.LeakyReLU, -1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => Activation.Create(ActivationKind.ELU, float.NaN));
    }
}
