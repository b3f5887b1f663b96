using System.Management.Automation;
using MLNetNN.Activations;
using MLNetNN.Initialization;
using MLNetNN.Layers;
using MLNetNN.Networks;
using MLNetNN.Optimizers;
using MLNetNN.PowerShell.Training;
using MLNetNN.Schedules;
using MLNetNN.Training;

namespace MLNetNN.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Describes a feed-forward network and how to optimise it, ready for Invoke-NeuralNetTraining.</para>
/// <para type="description">-Layers declares hidden layers of several kinds (dense, dropout, batch normalisation, convolution and pooling with -InputShape) in the engine's text form. Parameters left out take the engine's defaults (<see cref="Defaults"/>, the same in every front end: one hidden layer of 100 ReLU units, Adam, learning rate 0.001, as scikit-learn's MLP).</para>
/// </summary>
[Cmdlet(VerbsCommon.New, "NeuralNet")]
[OutputType(typeof(NeuralNetSpec))]
public sealed class NewNeuralNetCommand : NeuralNetCmdlet
{
    /// <summary>Units per hidden layer, input side first; an empty array for none.</summary>
    [Parameter(Position = 0)]
    [AllowEmptyCollection]
    [ValidateRange(1, int.MaxValue)]
    public int[] HiddenLayers { get; set; } = [.. Defaults.HiddenLayers];

    /// <summary>
    /// Activation of every hidden layer: Identity, Sigmoid, Tanh, ReLU, LeakyReLU, ELU or Softplus. Text rather than the
    /// engine's enum so that tab completion offers only these (PowerShell completes an enum parameter with all its values).
    /// </summary>
    [Parameter]
    [ValidateHiddenActivation]
    public string Activation { get; set; } = Defaults.HiddenActivation.ToString();

    /// <summary>
    /// Hidden layers of several kinds, input side first, in the engine's text form: <c>dense128,dropout0.5,bn,dense64</c>
    /// (see <see cref="Networks.LayerText"/>); instead of <see cref="HiddenLayers"/>, and dense layers written without an
    /// activation take <see cref="Activation"/>. Tab completion offers the layer kinds. An array, so that PowerShell's own
    /// list syntax (<c>-Layers dense128,dropout0.5,bn</c>, unquoted) gives the same layers as one quoted text.
    /// </summary>
    [Parameter]
    [ValidateLayers]
    public string[]? Layers { get; set; }

    /// <summary>
    /// The shape of one example when the features are an image: height, width, channels, as <c>28,28,1</c> or <c>28x28x1</c>
    /// (the Quickstart's and the ML.NET option's form), stored channels last.
    /// </summary>
    [Parameter]
    public string[]? InputShape { get; set; }

    /// <summary>What the network predicts; Auto classifies (binary for two classes).</summary>
    [Parameter]
    public NeuralNetTask Task { get; set; }

    /// <summary>The update rule.</summary>
    [Parameter]
    public OptimizerKind Optimizer { get; set; } = Defaults.Optimizer;

    /// <summary>Initial learning rate.</summary>
    [Parameter]
    public float LearningRate { get; set; } = Defaults.LearningRate;

    /// <summary>SGD momentum, for -Optimizer Sgd and GradientDescent; with another optimiser (Adam by default) it is ignored, and a warning says so.</summary>
    [Parameter]
    public float Momentum { get; set; }

    /// <summary>L1 penalty strength on the weights.</summary>
    [Parameter]
    public float L1 { get; set; }

    /// <summary>L2 penalty strength on the weights.</summary>
    [Parameter]
    public float L2 { get; set; }

    /// <summary>Seed for initialisation, shuffling and the validation split; left out, every run draws its own.</summary>
    [Parameter]
    public int? Seed { get; set; }

    /// <summary>How features are scaled before the network.</summary>
    [Parameter]
    public ScalingKind Scaling { get; set; } = Defaults.Scaling;

    /// <summary>How weights are initialised.</summary>
    [Parameter]
    public InitializerKind Initializer { get; set; } = Defaults.Initializer;

    /// <summary>How the learning rate changes over training.</summary>
    [Parameter]
    public LearningRateScheduleKind Schedule { get; set; } = Defaults.Schedule;

    /// <summary>Regression: how the target is scaled for training (undone on prediction); left out, standardised; None turns it off.</summary>
    [Parameter]
    public ScalingKind? TargetScaling { get; set; }

    /// <summary>Classification: Balanced, or a hashtable from class label to weight, multiplying the rows' weights in the training loss.</summary>
    [Parameter]
    public object? ClassWeight { get; set; }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        var activation = HiddenActivations.Parse(Activation);
        var options = new NeuralNetworkOptions
        {
            HiddenLayers = HiddenLayers, HiddenActivation = activation, Optimizer = Optimizer, LearningRate = LearningRate,
            Momentum = Momentum, L1 = L1, L2 = L2, Seed = Seed, Scaling = Scaling, Initializer = Initializer, Schedule = Schedule,
            TargetScaling = TargetScaling,
        };
        try
        {
            if (Layers is not null)
            {
                if (MyInvocation.BoundParameters.ContainsKey(nameof(HiddenLayers)))
                    throw new ArgumentException("replaces -HiddenLayers; give one of them.", nameof(Layers));
                // [ValidateLayers] has read the text already; here the dense layers get -Activation.
                options = options with { Layers = LayerText.Parse(LayerTokens.Join(Layers), activation) };
            }
            // 28,28,1 arrives as three strings, 28x28x1 as one: both are the engine's 28x28x1.
            if (InputShape is not null) options = options with { InputShape = Parsed(nameof(InputShape), () => LayerShape.Parse(string.Join("x", InputShape))) };
            options = ClassWeightSetting.Apply(options, ClassWeight is PSObject wrapped ? wrapped.BaseObject : ClassWeight);
            var spec = new NeuralNetSpec(Task, options);
            // A setting the optimiser does not use (-Momentum with Adam, the default) is accepted, as the engine accepts it, but never in silence.
            foreach (var ignored in options.IgnoredSettings())
                WriteWarning(ignored.Describe(ParameterFor(ignored.Option) is { } parameter ? $"-{parameter}" : ignored.Option));
            WriteObject(spec);
        }
        catch (ArgumentException e)
        {
            // The engine names its options; say which parameter was wrong and target its value, not the whole option set.
            string? parameter = e.ParamName is { } option ? ParameterFor(option) : null;
            object? value = parameter is null ? null : GetType().GetProperty(parameter)!.GetValue(this);
            var worded = new ArgumentException(OptionErrors.Describe(e, value, ParameterFor), e);
            ThrowTerminatingError(ErrorFor(worded, "InvalidNetworkSetting", value));
        }
    }

    /// <summary>What <paramref name="parse"/> reads from a text parameter; its <see cref="FormatException"/> becomes an <see cref="ArgumentException"/> naming the parameter.</summary>
    private static T Parsed<T>(string parameter, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (FormatException e)
        {
            throw new ArgumentException(e.Message, parameter, e);
        }
    }

    /// <summary>This cmdlet's parameter for an engine option, or null for one it does not set.</summary>
    private static string? ParameterFor(string option) => option switch
    {
        nameof(NeuralNetworkOptions.HiddenActivation) => nameof(Activation),
        nameof(HiddenLayers) or nameof(Layers) or nameof(InputShape) or nameof(Optimizer) or nameof(LearningRate) or nameof(Momentum) or nameof(L1) or nameof(L2)
            or nameof(Seed) or nameof(Scaling) or nameof(Initializer) or nameof(Schedule) => option,
        _ => null,
    };
}
