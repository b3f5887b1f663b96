using MLNetNN.Activations;
using MLNetNN.Initialization;
using MLNetNN.Models;
using MLNetNN.Networks;
using MLNetNN.Numerics;
using MLNetNN.Training;

namespace MLNetNN.Tests.Networks;

/// <summary>
/// One row predicted alone (the single-row product on AVX2, the matrix kernels elsewhere) gets the bits it gets in a batch, on
/// random networks of many shapes: widths that are not a multiple of a register, one-unit layers, every hidden activation,
/// each task's output; and from many threads at once.
/// </summary>
public class SingleRowPredictionTests
{
    public static IEnumerable<object[]> Networks() =>
    [
        [784, new[] { 256, 128 }, ActivationKind.ReLU, TaskKind.MulticlassClassification],
        [784, new[] { 100 }, ActivationKind.Sigmoid, TaskKind.MulticlassClassification],
        [13, new[] { 1 }, ActivationKind.Tanh, TaskKind.BinaryClassification],
        [37, new[] { 9, 17 }, ActivationKind.LeakyReLU, TaskKind.MulticlassClassification],
        [5, new[] { 1, 1 }, ActivationKind.Identity, TaskKind.Regression],
        [300, new[] { 97, 33 }, ActivationKind.ELU, TaskKind.BinaryClassification],
        [1030, new[] { 20, 7 }, ActivationKind.Softplus, TaskKind.Regression],
        [64, new[] { 8, 104, 3 }, ActivationKind.ReLU, TaskKind.MulticlassClassification],
    ];

    [Theory]
    [MemberData(nameof(Networks))]
    public void A_row_alone_gets_the_bits_it_gets_in_a_batch(int inputs, int[] hidden, ActivationKind activation, TaskKind task)
    {
        var model = RandomModel(inputs, hidden, activation, task, seed: inputs + hidden.Sum());
        float[] rows = SparseRows(new Random(inputs), 60, inputs);
        float[] batch = new float[60 * model.OutputCount];
        model.PredictBatch(rows, batch);
        var one = new float[model.OutputCount];
        for (int r = 0; r < 60; r++)
        {
            model.Predict(rows.AsSpan(r * inputs, inputs), one);
            Assert.Equal(batch.AsSpan(r * one.Length, one.Length).ToArray(), one);
        }
    }

    [Fact]
    public void Rows_of_a_long_batch_taken_in_sorted_order_get_the_bits_they_get_alone()
    {
        // 700 rows: chunks of 512 and 188; the first chunk's products take its panels sorted by blank margins and skip
        // the steps at which a panel is zero throughout (on AVX2), and each row's outputs land in its own place.
        var model = RandomModel(784, [256, 128], ActivationKind.ReLU, TaskKind.MulticlassClassification, seed: 11);
        const int count = 700;
        float[] rows = TestData.ImageLikeRows(new Random(12), count, 784);
        float[] batch = new float[count * model.OutputCount];
        long skipped = MatrixMultiply.SkippedMultiplyAdds;
        model.PredictBatch(rows, batch);
        if (MatrixMultiply.Kernels == "AVX2") Assert.True(MatrixMultiply.SkippedMultiplyAdds > skipped, "no step was skipped");
        var one = new float[model.OutputCount];
        for (int r = 0; r < count; r++)
        {
            model.Predict(rows.AsSpan(r * 784, 784), one);
            Assert.True(batch.AsSpan(r * one.Length, one.Length).SequenceEqual(one), $"row {r}");
        }
    }

    [Fact]
    public void Many_threads_predicting_sparse_rows_at_once_get_the_batch_answers()
    {
        var model = RandomModel(784, [256, 128], ActivationKind.ReLU, TaskKind.MulticlassClassification, seed: 5);
        const int count = 40;
        float[] rows = SparseRows(new Random(9), count, 784);
        int width = model.OutputCount;
        float[] expected = new float[count * width];
        model.PredictBatch(rows, expected);
        int failures = 0;
        Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 8 }, t =>
        {
            var output = new float[width];
            for (int repeat = 0; repeat < 20; repeat++)
                for (int r = (t + repeat) % count, done = 0; done < count; done++, r = (r + 1) % count)
                {
                    model.Predict(rows.AsSpan(r * 784, 784), output);
                    if (!output.AsSpan().SequenceEqual(expected.AsSpan(r * width, width))) Interlocked.Increment(ref failures);
                }
        });
        Assert.Equal(0, failures);
    }

    [Fact]
    public void Many_threads_predicting_long_batches_at_once_get_the_answers_of_one()
    {
        // Each thread's long products order their rows in buffers of its own (and of the threads that run their parts); a
        // buffer shared between callers would hand one thread's row order, or rows half sorted, to another's panels. Each
        // thread alternates two batches (of its own length, 300 to 700 rows), so a row left uncomputed keeps a wrong answer.
        var model = RandomModel(784, [256, 128], ActivationKind.ReLU, TaskKind.MulticlassClassification, seed: 21);
        const int threads = 6;
        int width = model.OutputCount;
        var inputs = new float[2 * threads][];
        var expected = new float[2 * threads][];
        for (int b = 0; b < 2 * threads; b++)
        {
            int count = 300 + 80 * (b / 2);
            inputs[b] = TestData.ImageLikeRows(new Random(30 + b), count, 784);
            expected[b] = new float[count * width];
            model.PredictBatch(inputs[b], expected[b]);
        }
        int failures = 0;
        // Threads of their own, since the thread pool would start only one per core at first.
        var running = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            for (int repeat = 0; repeat < 10; repeat++)
            {
                int b = 2 * t + repeat % 2;
                var output = new float[expected[b].Length];
                try
                {
                    model.PredictBatch(inputs[b], output);
                    if (!output.AsSpan().SequenceEqual(expected[b])) Interlocked.Increment(ref failures);
                }
                catch (Exception)
                {
                    // Shared buffers can also throw (a sort whose keys change under it); on a test thread that would end the run.
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToArray();
        foreach (var thread in running) thread.Start();
        foreach (var thread in running) thread.Join();
        Assert.Equal(0, failures);
    }

    /// <summary>A model around a randomly initialised network with random biases (so no sum starts from zero).</summary>
    private static NeuralNetworkModel RandomModel(int inputs, int[] hidden, ActivationKind activation, TaskKind task, int seed)
    {
        int outputs = task switch { TaskKind.BinaryClassification => 1, TaskKind.MulticlassClassification => 4, _ => 2 };
        var output = task switch { TaskKind.BinaryClassification => ActivationKind.Sigmoid, TaskKind.MulticlassClassification => ActivationKind.Softmax, _ => ActivationKind.Identity };
        var network = new NeuralNetwork(inputs, [.. hidden.Select(units => new LayerSpec(units, activation)), new LayerSpec(outputs, output)]);
        var random = new Random(seed);
        network.Initialize(InitializerKind.HeNormal, random);
        for (int l = 0; l < network.Layers.Count; l++)
            foreach (ref float b in network.Biases(l)) b = 0.2f * random.NextSingle() - 0.1f;
        var options = new NeuralNetworkOptions { Task = task, HiddenLayers = hidden, HiddenActivation = activation, Threads = 1 };
        string[]? classes = task == TaskKind.MulticlassClassification ? ["a", "b", "c", "d"] : null;
        return new NeuralNetworkModel(network, options, classes, null, null);
    }

    /// <summary>Rows in [0, 1) of which half the values are zero, as in an image's background.</summary>
    private static float[] SparseRows(Random random, int count, int inputs)
    {
        var rows = new float[count * inputs];
        for (int i = 0; i < rows.Length; i++) rows[i] = random.Next(2) == 0 ? 0f : random.NextSingle();
        return rows;
    }
}
