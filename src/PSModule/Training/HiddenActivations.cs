using MLNetNN.Activations;

namespace MLNetNN.PowerShell.Training;

/// <summary>The activations a hidden layer may use, and the sentence for one it may not, in the words of New-NeuralNet's parameters.</summary>
public static class HiddenActivations
{
    /// <summary>
    /// Every activation except Softmax (it couples a layer's units, so it belongs to the output layer) and Step (its
    /// derivative is zero, so gradient descent cannot train through it).
    /// </summary>
    public static IReadOnlyList<ActivationKind> Allowed { get; } =
        Enum.GetValues<ActivationKind>().Where(a => a is not (ActivationKind.Softmax or ActivationKind.Step)).ToArray();

    /// <summary>Null for the name of an allowed activation (any case), else why it is refused and what to choose instead.</summary>
    public static string? Refusal(string name) =>
        !Enum.TryParse(name, ignoreCase: true, out ActivationKind activation) || !Enum.IsDefined(activation) || int.TryParse(name, out _)
            ? $"-Activation {name} is not an activation. Choose {Choices}."
            : activation switch
            {
                ActivationKind.Softmax => $"-Activation Softmax is not allowed for hidden layers: softmax is the output layer's, which the task sets. Choose {Choices}.",
                ActivationKind.Step => $"-Activation Step is not allowed for hidden layers: its slope is zero everywhere, so training cannot learn through it. Choose {Choices}.",
                _ => null,
            };

    /// <summary>The activation named <paramref name="name"/> (any case).</summary>
    /// <exception cref="ArgumentException">It is not an allowed hidden activation (the message says why).</exception>
    public static ActivationKind Parse(string name) =>
        Refusal(name) is { } refusal ? throw new ArgumentException(refusal, nameof(name)) : Enum.Parse<ActivationKind>(name, ignoreCase: true);

    private static string Choices => string.Join(", ", Allowed.Take(Allowed.Count - 1)) + " or " + Allowed[^1];
}
