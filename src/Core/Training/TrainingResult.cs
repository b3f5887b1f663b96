using MLNetNN.Models;

namespace MLNetNN.Training;

/// <summary>What a training run produced and why it ended.</summary>
public sealed class TrainingResult
{
    internal TrainingResult(NeuralNetworkModel model, StopReason reason, string message, int bestEpoch, int seed, TimeSpan elapsed)
    {
        Model = model;
        StopReason = reason;
        Message = message;
        BestEpoch = bestEpoch;
        Seed = seed;
        Elapsed = elapsed;
    }

    /// <summary>The trained model, with the weights the stop reason describes (best epoch, last good, or final).</summary>
    public NeuralNetworkModel Model { get; }

    /// <summary>Per-epoch figures, first epoch first.</summary>
    public IReadOnlyList<EpochRecord> History => Model.History;

    /// <summary>Why training ended.</summary>
    public StopReason StopReason { get; }

    /// <summary>A sentence saying why training ended and which weights the model holds.</summary>
    public string Message { get; }

    /// <summary>Epochs completed.</summary>
    public int EpochsCompleted => History.Count;

    /// <summary>The epoch whose weights the model holds (0 if none completed).</summary>
    public int BestEpoch { get; }

    /// <summary>The seed used; passing it back in <see cref="NeuralNetworkOptions.Seed"/> repeats the run exactly.</summary>
    public int Seed { get; }

    /// <summary>Wall-clock time of the run.</summary>
    public TimeSpan Elapsed { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{StopReason}: {Message}";
}
