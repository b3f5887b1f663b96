using MLNetNN.Activations;
using MLNetNN.PowerShell.Output;
using MLNetNN.PowerShell.Training;
using MLNetNN.Training;

namespace MLNetNN.PowerShell.Tests.Logic;

/// <summary>What the cmdlets say in PowerShell's words rather than the engine's, and the save formats.</summary>
public class WordingTests
{
    [Fact]
    public void Hidden_layers_may_use_every_activation_but_softmax_and_step()
    {
        Assert.Equal([ActivationKind.Identity, ActivationKind.Sigmoid, ActivationKind.Tanh, ActivationKind.ReLU, ActivationKind.LeakyReLU, ActivationKind.ELU, ActivationKind.Softplus],
            HiddenActivations.Allowed);
        foreach (var allowed in HiddenActivations.Allowed)
        {
            Assert.Null(HiddenActivations.Refusal(allowed.ToString().ToLowerInvariant()));
            Assert.Equal(allowed, HiddenActivations.Parse(allowed.ToString().ToUpperInvariant()));
            // Every allowed activation is one the engine trains in a hidden layer.
            new NeuralNetworkOptions { HiddenActivation = allowed }.Validate();
        }
    }

    [Theory]
    [InlineData("Softmax", "-Activation Softmax is not allowed for hidden layers: softmax is the output layer's")]
    [InlineData("step", "-Activation Step is not allowed for hidden layers: its slope is zero everywhere")]
    [InlineData("Relu6", "-Activation Relu6 is not an activation.")]
    [InlineData("3", "-Activation 3 is not an activation.")]
    [InlineData("", "-Activation  is not an activation.")]
    public void A_refused_activation_says_why_and_lists_the_choices(string name, string start)
    {
        string refusal = HiddenActivations.Refusal(name)!;
        Assert.StartsWith(start, refusal);
        Assert.EndsWith("Choose Identity, Sigmoid, Tanh, ReLU, LeakyReLU, ELU or Softplus.", refusal);
        Assert.Throws<ArgumentException>(() => HiddenActivations.Parse(name));
    }

    [Fact]
    public void An_engine_option_error_is_reworded_with_the_parameter_name_and_value()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new NeuralNetworkOptions { HiddenActivation = ActivationKind.Softmax }.Validate());
        Assert.Contains("(Parameter 'HiddenActivation')", e.Message);
        string worded = OptionErrors.Describe(e, "Softmax", o => o == "HiddenActivation" ? "Activation" : null);
        Assert.Equal("-Activation Softmax is not allowed: it must be element-wise; softmax is for the output layer.", worded);

        var rate = Assert.Throws<ArgumentOutOfRangeException>(() => new NeuralNetworkOptions { LearningRate = -0.5f }.Validate());
        Assert.Equal("-LearningRate -0.5 is not allowed: it must be positive.", OptionErrors.Describe(rate, -0.5f, o => o));

        var layers = Assert.Throws<ArgumentOutOfRangeException>(() => new NeuralNetworkOptions { HiddenLayers = [4, 0] }.Validate());
        Assert.Equal("-HiddenLayers 4,0 is not allowed: it must list positive unit counts.", OptionErrors.Describe(layers, new[] { 4, 0 }, o => o));
    }

    [Theory]
    [InlineData("models/m.onnx", ModelFileFormat.Onnx)]
    [InlineData("models/M.ONNX", ModelFileFormat.Onnx)]
    [InlineData("models/m.nn", ModelFileFormat.Native)]
    [InlineData("models/onnx", ModelFileFormat.Native)]
    public void Without_a_format_a_dot_onnx_file_is_saved_as_onnx(string path, ModelFileFormat expected) =>
        Assert.Equal(expected, ModelStore.FormatFor(path));
}
