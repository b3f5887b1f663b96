using System.Globalization;

namespace MLNetNN.Activations;

/// <summary>
/// An activation function applied to a row-major block of pre-activations, with the derivative backpropagation needs.
/// Implementations are stateless and safe to share between threads.
/// </summary>
public abstract class Activation
{
    /// <summary>Which function this is.</summary>
    public abstract ActivationKind Kind { get; }

    /// <summary>The shape parameter α (leaky ReLU slope, ELU scale); 0 where the function has none.</summary>
    public virtual float Alpha => 0f;

    /// <summary>Whether the derivative carries information, i.e. whether gradient descent can train through this function.</summary>
    public virtual bool IsDifferentiable => true;

    /// <summary><c>a = f(z)</c> element-wise (row-wise for softmax, with rows of <paramref name="width"/> values).</summary>
    public abstract void Forward(ReadOnlySpan<float> z, Span<float> a, int width);

    /// <summary>
    /// <c>dL/dz = f'(z) ∘ dL/da</c> (for softmax the row-wise Jacobian-vector product).
    /// <paramref name="z"/> and <paramref name="a"/> are the forward pass's input and output; <paramref name="gradZ"/> may alias <paramref name="gradA"/>.
    /// </summary>
    public abstract void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> gradA, Span<float> gradZ, int width);

    /// <summary>f(z) for one value (for plots and tests).</summary>
    public abstract float Value(float z);

    /// <summary>f'(z) for one value (for plots and tests).</summary>
    public abstract float Derivative(float z);

    /// <summary>The activation of the given kind; <paramref name="alpha"/> applies to leaky ReLU (default 0.01) and ELU (default 1).</summary>
    public static Activation Create(ActivationKind kind, float? alpha = null) => kind switch
    {
        ActivationKind.Identity => Identity.Instance,
        ActivationKind.Step => Step.Instance,
        ActivationKind.Sigmoid => Sigmoid.Instance,
        ActivationKind.Tanh => Tanh.Instance,
        ActivationKind.ReLU => ReLU.Instance,
        ActivationKind.LeakyReLU => new LeakyReLU(alpha ?? LeakyReLU.DefaultAlpha),
        ActivationKind.ELU => new ELU(alpha ?? ELU.DefaultAlpha),
        ActivationKind.Softplus => Softplus.Instance,
        ActivationKind.Softmax => Softmax.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown activation."),
    };

    /// <summary>The kind, with α where it has one: <c>LeakyReLU(α=0.01)</c>, in the invariant culture whatever the current one, as every text form of a network.</summary>
    public override string ToString() => Alpha != 0f ? string.Create(CultureInfo.InvariantCulture, $"{Kind}(α={Alpha:G4})") : Kind.ToString();

    /// <summary>Checks the spans agree in length, naming the mismatch.</summary>
    protected static void CheckLengths(int z, int a)
    {
        if (z != a) throw new ArgumentException($"Input holds {z} values but output holds {a}.");
    }
}
