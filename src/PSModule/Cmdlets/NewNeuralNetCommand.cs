using System.Management.Automation;
using MLNetNN.Activations;
using MLNetNN.Initialization;
using MLNetNN.Optimizers;
using MLNetNN.PowerShell.Training;
using MLNetNN.Schedules;
using MLNetNN.Training;

namespace MLNetNN.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Describes a feed-forward network and how to optimise it, ready for Invoke-NeuralNetTraining.</para>
/// <para type="description">Parameters left out take the engine's defaults (scikit-learn's MLP: one hidden layer of 100 ReLU units, Adam, learning rate 0.001).</para>
/// </summary>
[Cmdlet(VerbsCommon.New, "NeuralNet")]
[OutputType(typeof(NeuralNetSpec))]
public sealed class NewNeuralNetCommand : NeuralNetCmdlet
{
    /// <summary>Units per hidden layer, input side first; an empty array for none.</summary>
    [Parameter(Position = 0)]
    [AllowEmptyCollection]
    [ValidateRange(1, int.MaxValue)]
    public int[] HiddenLayers { get; set; } = null!;

    /// <summary>Activation of every hidden layer.</summary>
    [Parameter]
    public ActivationKind Activation { get; set; }

    /// <summary>What the network predicts; Auto classifies (binary for two classes).</summary>
    [Parameter]
    public NeuralNetTask Task { get; set; }

    /// <summary>The update rule.</summary>
    [Parameter]
    public OptimizerKind Optimizer { get; set; }

    /// <summary>Initial learning rate.</summary>
    [Parameter]
    public float LearningRate { get; set; }

    /// <summary>SGD momentum.</summary>
    [Parameter]
    public float Momentum { get; set; }

    /// <summary>L1 penalty strength on the weights.</summary>
    [Parameter]
    public float L1 { get; set; }

    /// <summary>L2 penalty strength on the weights.</summary>
    [Parameter]
    public float L2 { get; set; }

    /// <summary>Seed for initialisation, shuffling and the validation split.</summary>
    [Parameter]
    public int Seed { get; set; }

    /// <summary>How features are scaled before the network.</summary>
    [Parameter]
    public ScalingKind Scaling { get; set; }

    /// <summary>How weights are initialised.</summary>
    [Parameter]
    public InitializerKind Initializer { get; set; }

    /// <summary>How the learning rate changes over training.</summary>
    [Parameter]
    public LearningRateScheduleKind Schedule { get; set; }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        var bound = MyInvocation.BoundParameters;
        var d = new NeuralNetworkOptions();
        var options = d with
        {
            HiddenLayers = bound.ContainsKey(nameof(HiddenLayers)) ? HiddenLayers : d.HiddenLayers,
            HiddenActivation = bound.ContainsKey(nameof(Activation)) ? Activation : d.HiddenActivation,
            Optimizer = bound.ContainsKey(nameof(Optimizer)) ? Optimizer : d.Optimizer,
            LearningRate = bound.ContainsKey(nameof(LearningRate)) ? LearningRate : d.LearningRate,
            Momentum = bound.ContainsKey(nameof(Momentum)) ? Momentum : d.Momentum,
            L1 = bound.ContainsKey(nameof(L1)) ? L1 : d.L1,
            L2 = bound.ContainsKey(nameof(L2)) ? L2 : d.L2,
            Seed = bound.ContainsKey(nameof(Seed)) ? Seed : d.Seed,
            Scaling = bound.ContainsKey(nameof(Scaling)) ? Scaling : d.Scaling,
            Initializer = bound.ContainsKey(nameof(Initializer)) ? Initializer : d.Initializer,
            Schedule = bound.ContainsKey(nameof(Schedule)) ? Schedule : d.Schedule,
        };
        try
        {
            WriteObject(new NeuralNetSpec(Task, options));
        }
        catch (ArgumentException e)
        {
            ThrowTerminatingError(ErrorFor(e, "InvalidNetworkSetting", options));
        }
    }
}
