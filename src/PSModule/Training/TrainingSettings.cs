using MLNetNN.Data;
using MLNetNN.Training;

namespace MLNetNN.PowerShell.Training;

/// <summary>
/// The run settings <c>Invoke-NeuralNetTraining</c> takes on top of a <see cref="NeuralNetSpec"/>; null leaves the spec's value.
/// </summary>
public sealed record TrainingSettings
{
    /// <summary>Maximum passes over the data.</summary>
    public int? Epochs { get; init; }

    /// <summary>Rows per mini-batch.</summary>
    public int? BatchSize { get; init; }

    /// <summary>Share of the rows held out for validation (stratified for classification).</summary>
    public float? ValidationFraction { get; init; }

    /// <summary>Stop when the validation loss stops improving and keep the best epoch.</summary>
    public bool? EarlyStopping { get; init; }

    /// <summary>Epochs without improvement before stopping early or converging.</summary>
    public int? Patience { get; init; }

    /// <summary>When training counts as converged; <see cref="ConvergenceCriterion.None"/> trains until the epoch limit.</summary>
    public ConvergenceCriterion? Convergence { get; init; }

    /// <summary>
    /// The engine options for training <paramref name="spec"/> on <paramref name="data"/>: the task resolved from the data's
    /// classes, then these settings over the spec's. Validated, so a bad value is reported before training starts.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range (the message names it).</exception>
    public NeuralNetworkOptions Apply(NeuralNetSpec spec, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(data);
        var o = spec.Options;
        var options = o with
        {
            Task = spec.Task.Resolve(data.ClassCount),
            Epochs = Epochs ?? o.Epochs,
            BatchSize = BatchSize ?? o.BatchSize,
            ValidationFraction = ValidationFraction ?? o.ValidationFraction,
            EarlyStopping = EarlyStopping ?? o.EarlyStopping,
            Patience = Patience ?? o.Patience,
            Convergence = Convergence ?? o.Convergence,
        };
        options.Validate();
        return options;
    }
}
