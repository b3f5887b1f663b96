using MLNetNN.Activations;
using MLNetNN.Optimizers;
using MLNetNN.Training;

namespace MLNetNN.Tests.Training;

/// <summary>
/// Training and prediction allocate nothing per mini-batch or per call once warm, so a long run does not churn the garbage
/// collector. Measured with the calling thread's allocation counter: the pool's workers only run matrix and optimiser slices,
/// which allocate nothing either (their packing buffers are made once per thread). The runtime itself now and then allocates a
/// few kilobytes on a thread (tiered compilation, other tests' collections), so the bounds are set below one object
/// (24 bytes) per batch or per call, not at zero; the benchmark reports the exact figures.
/// </summary>
public class SteadyStateAllocationTests
{
    [Theory]
    [InlineData(1, OptimizerKind.Adam, TaskKind.BinaryClassification)]
    [InlineData(2, OptimizerKind.Adam, TaskKind.BinaryClassification)]
    [InlineData(2, OptimizerKind.Sgd, TaskKind.BinaryClassification)]
    [InlineData(1, OptimizerKind.Adam, TaskKind.Regression)]
    public void Extra_epochs_cost_no_allocation_per_mini_batch(int threads, OptimizerKind optimizer, TaskKind task)
    {
        // 5,000 rows in batches of 5: 1,000 batches an epoch, so even one 24-byte object per batch would add 24 kB an epoch.
        // The binary runs weigh their classes (balanced), the regression run scales its targets (the default): both act per batch.
        var data = task == TaskKind.Regression ? TestData.NoisySine(5000, 0.2, 4) : TestData.TwoMoons(5000, 0.2, 4);
        var options = new NeuralNetworkOptions
        {
            HiddenLayers = [64, 32], HiddenActivation = ActivationKind.ReLU, Optimizer = optimizer, LearningRate = 1e-3f, BatchSize = 5,
            Seed = 1, Threads = threads, Convergence = ConvergenceCriterion.None, Task = task,
            BalancedClassWeights = task == TaskKind.BinaryClassification,
        };
        long perEpoch = EpochAllocation.PerExtraEpoch(options, data);
        // What remains per epoch is the epoch's record, its shuffle and its cursor: a few hundred bytes, not one object per batch.
        Assert.True(perEpoch < 12_000, $"each extra epoch allocated {perEpoch} bytes");
    }

    [Fact]
    public void Prediction_allocates_no_object_per_call()
    {
        var data = TestData.Iris();
        var model = Trainers.MulticlassClassification(new NeuralNetworkOptions { HiddenLayers = [256, 128], Epochs = 2, Seed = 1 }).Fit(data).Model;
        var outputs = new float[model.OutputCount];
        var batchOutputs = new float[data.Rows * model.OutputCount];
        for (int i = 0; i < 10; i++)
        {
            model.Predict(data.Row(i), outputs);
            model.PredictBatch(data.Features, batchOutputs);
        }
        const int calls = 2000;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < calls; i++) model.Predict(data.Row(i % data.Rows), outputs);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < calls * 24 / 2, $"{calls} predictions allocated {allocated} bytes");
        before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) model.PredictBatch(data.Features, batchOutputs);
        allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 1000 * 24 / 2, $"1,000 batch predictions allocated {allocated} bytes");
    }
}
