using MLNetNN.Activations;
using MLNetNN.Data;
using MLNetNN.Networks;
using MLNetNN.Optimizers;
using MLNetNN.Training;

namespace MLNetNN.PowerShell.Training;

/// <summary>
/// What <c>New-NeuralNet</c> returns: a network and optimiser description, not yet trained. <c>Invoke-NeuralNetTraining</c>
/// adds the run settings (epochs, batch size, validation) and the data decides the input and output sizes.
/// </summary>
public sealed class NeuralNetSpec
{
    /// <summary>A spec over validated engine options.</summary>
    /// <param name="task">What the network predicts.</param>
    /// <param name="options">Every other setting; <see cref="NeuralNetworkOptions.Task"/> is filled in when the data is known.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range (the message names it).</exception>
    public NeuralNetSpec(NeuralNetTask task, NeuralNetworkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Enum.IsDefined(task)) throw new ArgumentOutOfRangeException(nameof(task), task, "Unknown task.");
        options.Validate();
        Task = task;
        Options = options;
    }

    /// <summary>The defaults of <see cref="Defaults"/> for the given task.</summary>
    public static NeuralNetSpec Default(NeuralNetTask task = NeuralNetTask.Auto) => new(task, new NeuralNetworkOptions());

    /// <summary>What the network predicts.</summary>
    public NeuralNetTask Task { get; }

    /// <summary>The engine options (run settings at their defaults until training overrides them).</summary>
    public NeuralNetworkOptions Options { get; }

    /// <summary>Units per hidden layer, input side first.</summary>
    public IReadOnlyList<int> HiddenLayers => Options.HiddenLayers;

    /// <summary>The hidden layers of several kinds in the text form (<c>dense128:relu,dropout0.5,bn</c>), or null when <see cref="HiddenLayers"/> gives them.</summary>
    public string? Layers => Options.Layers is null ? null : LayerText.Format(Options.Layers);

    /// <summary>Activation of the hidden layers.</summary>
    public ActivationKind Activation => Options.HiddenActivation;

    /// <summary>The update rule.</summary>
    public OptimizerKind Optimizer => Options.Optimizer;

    /// <summary>Initial learning rate.</summary>
    public float LearningRate => Options.LearningRate;

    /// <summary>L1 penalty strength.</summary>
    public float L1 => Options.L1;

    /// <summary>L2 penalty strength.</summary>
    public float L2 => Options.L2;

    /// <summary>The seed, or null to draw one per run.</summary>
    public int? Seed => Options.Seed;

    /// <summary>How the label column is read.</summary>
    public LabelKind LabelKind => Task.LabelKind();

    /// <summary>E.g. <c>Multiclass 16-8 ReLU, Adam lr 0.001</c>.</summary>
    public override string ToString() =>
        $"{Task} {(Layers is not null ? Layers : HiddenLayers.Count == 0 ? "no hidden layer" : string.Join("-", HiddenLayers) + " " + Activation)}, {Optimizer} lr {LearningRate.ToString("G3", System.Globalization.CultureInfo.InvariantCulture)}";
}
