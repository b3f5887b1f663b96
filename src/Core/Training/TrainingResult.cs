using MLNetNN.Models;

namespace MLNetNN.Training;

/// <summary>What a training run produced and why it ended.</summary>
public sealed class TrainingResult
{
    internal TrainingResult(NeuralNetworkModel model, StopReason reason, string message, int bestEpoch, int seed, TimeSpan elapsed)
    {
        Model = model;
        StopReason = reason;
        bool improving = StillImproving(model.History, model.Options.Tolerance, model.Options.Patience, out bool onValidation);
        StoppedWhileImproving = reason == StopReason.MaxEpochs && improving;
        Message = StoppedWhileImproving
            ? $"{message} The {(onValidation ? "validation" : "training")} loss was still falling (by more than the tolerance, {model.Options.Tolerance:G3}, within the last {Math.Min(model.Options.Patience, model.History.Count)} epochs), so the run had not converged: more epochs would probably give a better model."
            : message;
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

    /// <summary>A sentence saying why training ended and which weights the model holds, and that it had not converged when <see cref="StoppedWhileImproving"/>.</summary>
    public string Message { get; }

    /// <summary>
    /// The epoch limit ended a run that was still improving: the loss (the validation loss when there is validation data, else
    /// the training loss) fell by more than <see cref="NeuralNetworkOptions.Tolerance"/> below its best within the last
    /// <see cref="NeuralNetworkOptions.Patience"/> epochs, so the loss-change convergence test had not been met. This is
    /// scikit-learn's ConvergenceWarning ("maximum iterations reached and the optimization hasn't converged yet"); more epochs
    /// would probably give a better model.
    /// </summary>
    public bool StoppedWhileImproving { get; }

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

    /// <summary>
    /// Replays the trainer's loss-change test (<see cref="ConvergenceCriterion.LossChange"/>) over the history: an epoch counts as
    /// no improvement when its loss is not below the best so far by more than <paramref name="tolerance"/>; the run is still
    /// improving unless the last <paramref name="patience"/> epochs all count so.
    /// </summary>
    internal static bool StillImproving(IReadOnlyList<EpochRecord> history, double tolerance, int patience, out bool onValidation)
    {
        onValidation = history.Count > 0 && history.All(r => r.ValidationLoss is not null);
        double best = double.PositiveInfinity;
        int withoutImprovement = 0;
        foreach (var record in history)
        {
            double loss = onValidation ? record.ValidationLoss!.Value : record.TrainLoss;
            withoutImprovement = loss < best - tolerance ? 0 : withoutImprovement + 1;
            best = Math.Min(best, loss);
        }
        return history.Count > 0 && withoutImprovement < patience;
    }
}
