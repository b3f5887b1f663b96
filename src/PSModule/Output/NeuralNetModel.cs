using MLNetNN.Models;
using MLNetNN.Networks;
using MLNetNN.PowerShell.Training;
using MLNetNN.Training;

namespace MLNetNN.PowerShell.Output;

/// <summary>
/// A trained network as PowerShell shows it: what it predicts, its shape, its classes and features, its history and why
/// training stopped. Wraps the engine's <see cref="NeuralNetworkModel"/>, which does the predicting.
/// </summary>
public sealed class NeuralNetModel
{
    /// <summary>Wraps an engine model.</summary>
    /// <param name="model">The trained model.</param>
    /// <param name="result">The run that produced it, or null for a model read from a file (which does not record why training stopped).</param>
    /// <param name="label">The label column it was trained on, or null when unknown (model files do not record it).</param>
    /// <param name="path">The file it was read from or last saved to, or null.</param>
    public NeuralNetModel(NeuralNetworkModel model, TrainingResult? result = null, string? label = null, string? path = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        Result = result;
        Label = label;
        Path = path;
        History = model.History.Select(r => NeuralNetEpoch.From(r, model.IsClassifier)).ToArray();
    }

    /// <summary>The engine's model: call its methods for anything the cmdlets do not cover.</summary>
    public NeuralNetworkModel Model { get; }

    /// <summary>The training run, or null for a model read from a file.</summary>
    public TrainingResult? Result { get; }

    /// <summary>What the model predicts.</summary>
    public NeuralNetTask Task => NeuralNetTasks.FromKind(Model.Task);

    /// <summary>Layer widths from input to output, e.g. <c>4-16-8-3</c>; layers other than dense in their text form (<c>4-16-bn-dropout0.5-3</c>), an image input as <c>28x28x1</c>.</summary>
    public string Architecture => string.Join("-", new[] { Model.Network.InputShape.ToString() }
        .Concat(Model.Network.Layers.Select(l => l.Kind == MLNetNN.Layers.LayerKind.Dense ? l.Units.ToString(System.Globalization.CultureInfo.InvariantCulture) : l.ToSpec().ToString())));

    /// <summary>Trainable parameters (weights and biases).</summary>
    public int Parameters => Model.Network.ParameterCount;

    /// <summary>Class labels in class-index order (classification), else null.</summary>
    public IReadOnlyList<string>? Classes => Model.ClassNames;

    /// <summary>Feature columns, in the order the network reads them; prediction finds them by name in each row.</summary>
    public IReadOnlyList<string> Features => Model.FeatureNames;

    /// <summary>The label column it was trained on; null for a model read from a file.</summary>
    public string? Label { get; }

    /// <summary>The training history, first epoch first.</summary>
    public IReadOnlyList<NeuralNetEpoch> History { get; }

    /// <summary>Epochs trained.</summary>
    public int Epochs => History.Count;

    /// <summary>The epoch whose weights the model holds; null for a model read from a file.</summary>
    public int? BestEpoch => Result?.BestEpoch;

    /// <summary>Why training ended; null for a model read from a file.</summary>
    public StopReason? StopReason => Result?.StopReason;

    /// <summary>A sentence saying why training ended and which weights the model holds.</summary>
    public string? Message => Result?.Message;

    /// <summary>The seed the model was trained with; passing it to <c>New-NeuralNet -Seed</c> repeats the run.</summary>
    public int? Seed => Model.Options.Seed;

    /// <summary>Every option it was trained with.</summary>
    public NeuralNetworkOptions Options => Model.Options;

    /// <summary>The layer table with parameter counts.</summary>
    public NetworkSummary Summary => Model.Summary();

    /// <summary>The file it was read from or last saved to, or null.</summary>
    public string? Path { get; internal set; }

    /// <summary>E.g. <c>Multiclass 4-16-8-3 (setosa, versicolor, virginica)</c>.</summary>
    public override string ToString() =>
        $"{Task} {Architecture}" + (Classes is null ? "" : $" ({string.Join(", ", Classes)})");
}
