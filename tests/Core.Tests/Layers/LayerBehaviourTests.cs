using MLNetNN.Activations;
using MLNetNN.Data;
using MLNetNN.Layers;
using MLNetNN.Networks;
using MLNetNN.Optimizers;
using MLNetNN.Tests.Training;
using MLNetNN.Training;
using Xunit;

namespace MLNetNN.Tests.Layers;

/// <summary>What dropout and batch normalisation compute in training and at inference, and that a network of several layer kinds keeps the engine's promises: the same weights at any thread count, no allocation per batch.</summary>
public class LayerBehaviourTests
{
    private static readonly NeuralNetworkOptions Small = new() { Epochs = 3, BatchSize = 128, Seed = 5, Convergence = ConvergenceCriterion.None };

    private static (NeuralNetwork Network, Workspace Workspace) Forward(string layers, float[] x, int rows, int columns, TrainingStep? step, int threads = 1)
    {
        var network = new NeuralNetwork(columns, [.. LayerText.Parse(layers), new LayerSpec(2, ActivationKind.Identity)]);
        network.Initialize(MLNetNN.Initialization.InitializerKind.GlorotUniform, new Random(1));
        var workspace = new Workspace(network, rows);
        x.CopyTo(workspace.Input, 0);
        network.Forward(workspace, rows, threads, step);
        return (network, workspace);
    }

    private static float[] Uniform(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
    }

    [Fact]
    public void Dropout_drops_its_rate_of_values_in_training_scales_the_rest_and_is_the_identity_at_inference()
    {
        const int rows = 200, columns = 50;
        var x = Uniform(rows * columns, 1);
        var (_, training) = Forward("dropout0.3", x, rows, columns, new TrainingStep(9, 1));
        var a = training.A[0].AsSpan(0, rows * columns).ToArray();
        int dropped = a.Count(v => v == 0f);
        Assert.InRange(dropped / (double)a.Length, 0.28, 0.32);
        for (int i = 0; i < a.Length; i++)
            if (a[i] != 0f) Assert.Equal(x[i] * (1f / 0.7f), a[i]);
        var (_, inference) = Forward("dropout0.3", x, rows, columns, null);
        Assert.Equal(x, inference.A[0].AsSpan(0, rows * columns).ToArray());
    }

    [Fact]
    public void Dropout_masks_follow_seed_and_step_and_not_the_thread_count()
    {
        // 600 rows of a 100-wide layer feeding 200 units: enough work for the forward pass to split the rows over threads.
        const int rows = 600, columns = 100;
        var x = Uniform(rows * columns, 2);
        float[] Mask(int seed, long step, int threads)
        {
            var (_, ws) = Forward("dense200:tanh,dropout0.5", x, rows, columns, new TrainingStep(seed, step), threads);
            return ws.A[1].AsSpan(0, rows * 200).ToArray().Select(v => v == 0f ? 0f : 1f).ToArray();
        }
        var one = Mask(3, 1, threads: 1);
        Assert.Equal(one, Mask(3, 1, threads: 4));
        Assert.NotEqual(one, Mask(3, 2, threads: 1));
        Assert.NotEqual(one, Mask(4, 1, threads: 1));
        // Rows get different masks, not one mask repeated down the batch.
        Assert.NotEqual(one.AsSpan(0, 200).ToArray(), one.AsSpan(200, 200).ToArray());
    }

    [Fact]
    public void Batch_normalisation_normalises_by_the_batch_and_updates_its_running_statistics_as_Keras_does()
    {
        const int rows = 32, columns = 3;
        var x = Uniform(rows * columns, 3);
        for (int i = 0; i < x.Length; i += columns) x[i] = 5f + 3f * x[i];   // a channel far from mean 0, variance 1
        var (network, ws) = Forward("bn", x, rows, columns, new TrainingStep(1, 1));
        var gamma = network.Biases(0)[..columns].ToArray();
        Assert.Equal([1f, 1f, 1f], gamma);
        var state = network.LayerState(0).ToArray();
        for (int c = 0; c < columns; c++)
        {
            var values = Enumerable.Range(0, rows).Select(r => (double)x[r * columns + c]).ToArray();
            double mean = values.Average(), variance = values.Sum(v => (v - mean) * (v - mean)) / rows;
            Assert.Equal(0.01 * mean, state[c], 1e-6);
            Assert.Equal(0.99 + 0.01 * variance, state[columns + c], 1e-5);
            var normalized = Enumerable.Range(0, rows).Select(r => (double)ws.A[0][r * columns + c]).ToArray();
            Assert.Equal(0, normalized.Average(), 1e-5);
            Assert.Equal(variance / (variance + 1e-3), normalized.Sum(v => v * v) / rows, 1e-4);
        }

        // Inference: the running statistics, γ and β, row by row.
        network.Biases(0)[..columns].Fill(2f);
        network.Biases(0)[columns..].Fill(-0.5f);
        network.Forward(ws, rows, 1);
        for (int i = 0; i < rows * columns; i++)
        {
            int c = i % columns;
            double expected = 2 * (x[i] - state[c]) / Math.Sqrt(state[columns + c] + 1e-3) - 0.5;
            Assert.Equal(expected, ws.A[0][i], 1e-4);
        }
    }

    [Fact]
    public void Training_with_dropout_and_batch_normalisation_gives_the_same_weights_and_statistics_at_any_thread_count()
    {
        var data = TestData.Digits();
        var options = Small with { Layers = LayerText.Parse("dense64,bn,dropout0.3,dense32,dropout0.2") };
        var one = Trainers.MulticlassClassification(options with { Threads = 1 }).Fit(data).Model.Network;
        foreach (int threads in new[] { 2, 4 })
        {
            var other = Trainers.MulticlassClassification(options with { Threads = threads }).Fit(data).Model.Network;
            Assert.Equal(one.Parameters, other.Parameters);
            Assert.Equal(one.State, other.State);
        }
        Assert.Contains(one.State, v => v != 0f && v != 1f);
    }

    [Fact]
    public void Dense_layers_declared_as_layers_train_bit_for_bit_like_hidden_layer_sizes()
    {
        var data = TestData.Iris();
        var sizes = Trainers.MulticlassClassification(Small with { HiddenLayers = [16, 8] }).Fit(data).Model.Network;
        var layers = Trainers.MulticlassClassification(Small with { Layers = new LayerStack().Dense(16).Dense(8) }).Fit(data).Model.Network;
        Assert.Equal(sizes.Parameters, layers.Parameters);
    }

    [Theory]
    [InlineData("bn,dense16", 1)]
    [InlineData("dropout0.2,dense16", 2)]
    [InlineData("flatten,dense16,bn", 2)]
    public void A_first_layer_that_is_not_dense_trains_on_batches_read_where_they_lie_exactly_as_on_copied_batches(string layers, int threads)
    {
        // Only a dense layer reads a shuffled batch's rows in the data set; before any other first layer the network gathers them.
        var data = TestData.Digits();
        var options = Small with { Layers = LayerText.Parse(layers), Threads = threads, Scaling = ScalingKind.None, Epochs = 2 };
        var inPlace = Trainers.MulticlassClassification(options).Fit(data).Model.Network;
        var copied = Trainers.MulticlassClassification(options)
            .Fit(new Training.TrainerBehaviourTests.CopyingSource(new DatasetBatchSource(data)), null, TrainingDataInfo.From(data)).Model.Network;
        Assert.Equal(copied.Parameters, inPlace.Parameters);
        Assert.Equal(copied.State, inPlace.State);
    }

    [Fact]
    public void A_row_predicted_alone_gets_the_same_bits_as_in_a_batch()
    {
        var data = TestData.Digits();
        var model = Trainers.MulticlassClassification(Small with { Layers = LayerText.Parse("dense32,bn,dropout0.5") }).Fit(data).Model;
        var batch = model.PredictBatch(data);
        var row = new float[model.OutputCount];
        for (int r = 0; r < 50; r++)
        {
            model.Predict(data.Row(r), row);
            Assert.Equal(batch.AsSpan(r * model.OutputCount, model.OutputCount).ToArray(), row);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Extra_epochs_with_dropout_and_batch_normalisation_cost_no_allocation_per_mini_batch(int threads)
    {
        // As SteadyStateAllocationTests: 1,000 batches an epoch, so one 24-byte object per batch would add 24 kB an epoch.
        var data = TestData.TwoMoons(5000, 0.2, 4);
        var options = new NeuralNetworkOptions
        {
            Layers = LayerText.Parse("dense64,bn,dropout0.3,dense32,dropout0.1"), Optimizer = OptimizerKind.Adam, BatchSize = 5,
            Seed = 1, Threads = threads, Convergence = ConvergenceCriterion.None, Task = TaskKind.BinaryClassification,
        };
        long perEpoch = EpochAllocation.PerExtraEpoch(options, data);
        Assert.True(perEpoch < 12_000, $"each extra epoch allocated {perEpoch} bytes");
    }

    [Fact]
    public void Options_refuse_layers_that_cannot_be_built_or_trained_naming_them()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new NeuralNetworkOptions { Layers = LayerText.Parse("dense8,bn"), Optimizer = OptimizerKind.Lbfgs }.Validate());
        Assert.Contains("L-BFGS", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => new NeuralNetworkOptions { Layers = [LayerSpec.Dropout(1f)] }.Validate());
        Assert.Contains("Layer 1 (dropout1)", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => new NeuralNetworkOptions { Layers = [LayerSpec.Dense(8)], InputShape = LayerShape.Image(4, 4, 1) }.Validate());
        Assert.Contains("flatten", e.Message);
        var ok = new NeuralNetworkOptions { Layers = LayerText.Parse("flatten,dense8"), InputShape = LayerShape.Image(4, 4, 1) };
        ok.Validate();
        var data = TestData.Iris();
        var mismatch = Assert.Throws<ArgumentException>(() => Trainers.MulticlassClassification(ok).Fit(data));
        Assert.Contains("InputShape 4x4x1 holds 16 values", mismatch.Message);
    }
}
