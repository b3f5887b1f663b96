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
    [InlineData(TaskKind.MulticlassClassification, ScalingKind.Standardize)]
    [InlineData(TaskKind.MulticlassClassification, ScalingKind.None)]
    [InlineData(TaskKind.BinaryClassification, ScalingKind.Standardize)]
    [InlineData(TaskKind.Regression, ScalingKind.MinMax)]
    public void SeededExtremeRowsAreAnsweredFinitelyOrRefusedByRow(TaskKind task, ScalingKind scaling)
    {
        // 2,000 rows whose features are, at random, a training row's value or ±10^u for u uniform in [−38, 38.5]: every row is
        // either answered with finite outputs (probabilities in [0, 1] summing to 1) or refused, and batch prediction agrees.
        var data = task switch
        {
            TaskKind.BinaryClassification => TestData.BreastCancer(),
            TaskKind.MulticlassClassification => TestData.Iris(),
            _ => TestData.NoisySine(100, 0.1, 1),
        };
        var model = new NeuralNetworkTrainer(new NeuralNetworkOptions { Task = task, HiddenLayers = [8], Epochs = 5, Seed = 2, Scaling = scaling }).Fit(data).Model;
        var random = new Random(7);
        int width = model.FeatureCount, rowCount = 2000;
        var rows = new float[rowCount * width];
        for (int r = 0; r < rowCount; r++)
        {
            data.Row(random.Next(data.Rows)).CopyTo(rows.AsSpan(r * width));
            for (int j = 0; j < width; j++)
                if (random.Next(2) == 0)
                    rows[r * width + j] = MathF.Min(float.MaxValue, MathF.Pow(10f, (float)(random.NextDouble() * 76.5 - 38))) * (random.Next(2) == 0 ? 1 : -1);
        }
        var answers = new float[rowCount * model.OutputCount];
        var answered = new List<int>();
        for (int r = 0; r < rowCount; r++)
        {
            Span<float> outputs = answers.AsSpan(r * model.OutputCount, model.OutputCount);
            try
            {
                model.Predict(rows.AsSpan(r * width, width), outputs);
            }
            catch (ArgumentException error)
            {
                Assert.StartsWith("Row 0: its features are finite", error.Message);
                continue;
            }
            answered.Add(r);
            foreach (float v in outputs) Assert.True(float.IsFinite(v) && (!model.IsClassifier || v is >= 0f and <= 1f), $"Row {r}: {string.Join(", ", outputs.ToArray())}");
            if (model.IsClassifier) Assert.Equal(1f, outputs.ToArray().Sum(), 4);
        }
        Assert.NotEmpty(answered);
        // Standardised by deviations below 1 (Iris, breast cancer), values near 3e38 leave float's range, so some rows must be
        // refused; unscaled Iris rows and min-max scaled sine rows (a range of 2π) stay finite and can all be answered.
        if (scaling == ScalingKind.Standardize) Assert.True(answered.Count < rowCount, "No row was extreme enough to test the refusal.");

        var answeredRows = answered.SelectMany(r => rows.AsSpan(r * width, width).ToArray()).ToArray();
        var batch = new float[answered.Count * model.OutputCount];
        model.PredictBatch(answeredRows, batch);
        Assert.Equal(answered.SelectMany(r => answers.AsSpan(r * model.OutputCount, model.OutputCount).ToArray()), batch);
        if (answered.Count < rowCount)
        {
            int firstRefused = Enumerable.Range(0, rowCount).Except(answered).First();
            var error = Assert.Throws<ArgumentException>(() => model.PredictBatch(rows, new float[rowCount * model.OutputCount]));
            Assert.StartsWith($"Row {firstRefused}:", error.Message);
        }
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
