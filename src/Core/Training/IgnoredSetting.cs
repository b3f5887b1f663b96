using System.Globalization;

namespace MLNetNN.Training;

/// <summary>
/// A setting given a value that the chosen optimiser or schedule does not use (<see cref="NeuralNetworkOptions.IgnoredSettings"/>):
/// the option's name, its value (null for a switch), and why it has no effect.
/// </summary>
/// <param name="Option">The option's name in <see cref="NeuralNetworkOptions"/>, e.g. <c>Momentum</c>.</param>
/// <param name="Value">The value it was given; null for a switch such as <c>Nesterov</c>.</param>
/// <param name="Reason">Why it has no effect, as the end of a sentence: <c>applies only to the Sgd and GradientDescent optimisers; Adam ignores it.</c></param>
public sealed record IgnoredSetting(string Option, object? Value, string Reason)
{
    /// <summary>The warning with the option spelt as a front end spells it (<c>-Momentum</c> in PowerShell), its value in the invariant culture.</summary>
    public string Describe(string name) =>
        Value is null ? $"{name} {Reason}" : string.Create(CultureInfo.InvariantCulture, $"{name} {Value} {Reason}");

    /// <summary>The warning with the engine's option name: <c>Momentum 0.9 applies only to the Sgd and GradientDescent optimisers; Adam ignores it.</c></summary>
    public override string ToString() => Describe(Option);
}
