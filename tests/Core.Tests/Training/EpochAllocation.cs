using MLNetNN.Data;
using MLNetNN.Training;

namespace MLNetNN.Tests.Training;

/// <summary>What training allocates on the calling thread per epoch beyond the first few, the steady state the allocation tests bound.</summary>
internal static class EpochAllocation
{
    /// <summary>
    /// Bytes per epoch between a run of <paramref name="fewer"/> and one of <paramref name="more"/> epochs, after a warm-up run,
    /// so start-up costs (workspaces, the network, tiered compilation) cancel out.
    /// </summary>
    public static long PerExtraEpoch(NeuralNetworkOptions options, Dataset data, int fewer = 2, int more = 6)
    {
        long Allocated(int epochs)
        {
            var trainer = new NeuralNetworkTrainer(options with { Epochs = epochs });
            long before = GC.GetAllocatedBytesForCurrentThread();
            trainer.Fit(data);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Allocated(fewer);
        return (Allocated(more) - Allocated(fewer)) / (more - fewer);
    }
}
