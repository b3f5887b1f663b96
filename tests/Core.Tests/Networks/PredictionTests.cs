using MLNetNN.Data;
using MLNetNN.Models;
using MLNetNN.Training;
using Xunit;

namespace MLNetNN.Tests.Networks;

public class PredictionTests
{
    private static readonly Lazy<NeuralNetworkModel> Iris = new(() => Trainers.MulticlassClassification(new NeuralNetworkOptions
    {
        HiddenLayers = [16], Epochs = 50, Seed = 4, LearningRate = 0.01f,
    }).Fit(TestData.Iris()).Model);

    [Fact]
    public void SingleRowAndBatchPredictionAgree()
    {
        var model = Iris.Value;
        var data = TestData.Iris();
        float[] batch = model.PredictBatch(data);
        var one = new float[3];
        for (int r = 0; r < data.Rows; r++)
        {
            model.Predict(data.Row(r), one);
            Assert.Equal(batch.AsSpan(r * 3, 3).ToArray(), one);
            Assert.Equal(1f, one.Sum(), 5);
        }
        var p = model.PredictRow(data.Row(0));
        Assert.Equal("setosa", p.Label);
        Assert.Equal(p.Outputs.Max(), p.Probability);
    }

    [Fact]
    public void ManyThreadsPredictingAtOnceGetTheSameAnswers()
    {
        var model = Iris.Value;
        var data = TestData.Iris();
        float[] expected = model.PredictBatch(data);
        var failures = 0;
        Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 8 }, t =>
        {
            var output = new float[3];
            for (int repeat = 0; repeat < 50; repeat++)
                for (int r = 0; r < data.Rows; r++)
                {
                    model.Predict(data.Row(r), output);
                    if (!output.AsSpan().SequenceEqual(expected.AsSpan(r * 3, 3))) Interlocked.Increment(ref failures);
                }
            if (!model.PredictBatch(data).AsSpan().SequenceEqual(expected)) Interlocked.Increment(ref failures);
        });
        Assert.Equal(0, failures);
    }

    [Fact]
    public void BadRowsAreNamed()
    {
        var model = Iris.Value;
        var wrongWidth = Assert.Throws<ArgumentException>(() => model.Predict(new float[3], new float[3]));
        Assert.Contains("expects 4", wrongWidth.Message);
        Assert.Contains("SepalLength", wrongWidth.Message);
        var nan = Assert.Throws<ArgumentException>(() => model.Predict([1f, float.NaN, 1f, 1f], new float[3]));
        Assert.Contains("'SepalWidth'", nan.Message);
        Assert.Throws<ArgumentException>(() => model.Predict(new float[4], new float[2]));
        Assert.Throws<InvalidOperationException>(() => model.EvaluateRegression(TestData.Iris()));
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void ABadValueInABatchIsNamedWithoutAScaler(float bad)
    {
        // Unscaled input goes to the network where it lies and is checked through the first layer's Z; sigmoid units would
        // turn an infinite input into a finite output, so the check must not look at the outputs.
        var model = Trainers.MulticlassClassification(new NeuralNetworkOptions
        {
            HiddenLayers = [5], HiddenActivation = MLNetNN.Activations.ActivationKind.Sigmoid, Epochs = 2, Seed = 1, Scaling = ScalingKind.None,
        }).Fit(TestData.Iris()).Model;
        var rows = (float[])TestData.Iris().Features.Clone();
        rows[37 * 4 + 2] = bad;
        var error = Assert.Throws<ArgumentException>(() => model.PredictBatch(rows, new float[rows.Length / 4 * 3]));
        Assert.Contains("Row 37, feature 'PetalLength'", error.Message);
    }

    [Fact]
    public void AFiniteRowThatOverflowsTheNetworkIsRefusedNamingIt()
    {
        // 3e38, standardised, is beyond float's range; ∞ − ∞ then gives NaN probabilities, which must never stand beside a label.
        var model = Iris.Value;
        float[] extreme = [3e38f, 3e38f, 3e38f, 3e38f];
        var single = Assert.Throws<ArgumentException>(() => model.PredictRow(extreme));
        Assert.Contains("Row 0", single.Message);
        Assert.Contains("'SepalLength' = 3E+38", single.Message);
        Assert.Throws<ArgumentException>(() => model.PredictClass(extreme));

        var rows = (float[])TestData.Iris().Features.Clone();
        rows[88 * 4 + 3] = -3e38f;
        var batch = Assert.Throws<ArgumentException>(() => model.PredictBatch(rows, new float[rows.Length / 4 * 3]));
        Assert.Contains("Row 88", batch.Message);
        Assert.Contains("'PetalWidth' = -3E+38", batch.Message);
    }

    [Theory]
    [InlineData(ScalingKind.None)]
    [InlineData(ScalingKind.Standardize)]
    public void EveryRowThatIsAnsweredHasFiniteProbabilities(ScalingKind scaling)
    {
        // Rows of ever larger finite values: each is either answered with probabilities that are finite and sum to 1, or refused.
        var model = Trainers.MulticlassClassification(new NeuralNetworkOptions { HiddenLayers = [8], Epochs = 5, Seed = 2, Scaling = scaling }).Fit(TestData.Iris()).Model;
        var outputs = new float[3];
        int refused = 0;
        for (int exponent = 0; exponent <= 38; exponent++)
        {
            foreach (float sign in new[] { 1f, -1f })
            {
                float value = sign * MathF.Pow(10, exponent) * 3f;
                if (!float.IsFinite(value)) continue;
                try
                {
                    model.Predict([value, 1f, value, 1f], outputs);
                }
                catch (ArgumentException error)
                {
                    Assert.Contains("Row 0", error.Message);
                    refused++;
                    continue;
                }
                Assert.All(outputs, p => Assert.True(float.IsFinite(p) && p >= 0f, $"{value}: {string.Join(", ", outputs)}"));
                Assert.Equal(1f, outputs.Sum(), 4);
            }
        }
        // Standardised, 3e38 is beyond float's range, so some rows must have been refused; unscaled, all of these can be answered.
        if (scaling == ScalingKind.Standardize) Assert.True(refused > 0, "No row was extreme enough to test the refusal.");
    }

    [Fact]
    public void HiddenLayerActivationsAreTheNetworksOwn()
    {
        var model = Iris.Value;
        var data = TestData.Iris();
        float[] hidden = model.LayerActivations(0, data.Features);
        Assert.Equal(data.Rows * 16, hidden.Length);
        Assert.All(hidden, h => Assert.True(h >= 0f)); // ReLU units
        // The output layer's activations are the class probabilities.
        Assert.Equal(model.PredictBatch(data), model.LayerActivations(1, data.Features));
        // Recompute one hidden unit by hand from the scaled row: relu(Σ x_i W[i, u] + b_u).
        var scaled = new float[4];
        model.Scaler!.Transform(data.Row(7), scaled);
        var w = model.Network.Weights(0);
        var b = model.Network.Biases(0);
        for (int u = 0; u < 16; u++)
        {
            float z = b[u];
            for (int i = 0; i < 4; i++) z += scaled[i] * w[i * 16 + u];
            Assert.Equal(MathF.Max(0, z), hidden[7 * 16 + u], 4);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => model.LayerActivations(2, data.Features));
    }
}
