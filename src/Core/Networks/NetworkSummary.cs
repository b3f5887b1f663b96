using System.Globalization;
using System.Text;
using MLNetNN.Activations;
using MLNetNN.Layers;

namespace MLNetNN.Networks;

/// <summary>A network's architecture at a glance, like Keras's <c>model.summary()</c>: one row per layer and the totals.</summary>
public sealed class NetworkSummary
{
    /// <summary>A window's stride and padding as the summary shows them: <c>, stride 2, same</c>; nothing for the usual stride and no padding.</summary>
    private static string Window(int stride, int usualStride, Numerics.Padding padding) =>
        (stride != usualStride ? string.Create(CultureInfo.InvariantCulture, $", stride {stride}") : "") + (padding == Numerics.Padding.Same ? ", same" : "");

    internal NetworkSummary(NeuralNetwork network)
    {
        var rows = new List<LayerSummary>();
        for (int l = 0; l < network.Layers.Count; l++)
        {
            var layer = network.Layers[l];
            string role = l == network.Layers.Count - 1 ? "output"
                : layer.Kind == LayerKind.Dense ? $"hidden_{l + 1}"
                : $"{layer.Kind switch { LayerKind.BatchNormalization => "batchnorm", LayerKind.Convolution => "conv", LayerKind.MaxPooling => "maxpool", _ => layer.Kind.ToString().ToLowerInvariant() }}_{l + 1}";
            // Layers without an activation show their settings in its column instead.
            string activation = layer switch
            {
                DropoutLayer d => string.Create(CultureInfo.InvariantCulture, $"rate {d.Rate:G4}"),
                BatchNormalizationLayer b => string.Create(CultureInfo.InvariantCulture, $"m {b.Momentum:G4}, ε {b.Epsilon:G3}"),
                ConvolutionLayer c => string.Create(CultureInfo.InvariantCulture, $"{c.Activation}, {c.Kernel}×{c.Kernel}{Window(c.Stride, 1, c.Padding)}"),
                MaxPoolingLayer p => string.Create(CultureInfo.InvariantCulture, $"{p.Size}×{p.Size}{Window(p.Stride, p.Size, p.Padding)}"),
                _ when layer.Kind != LayerKind.Dense && layer.Activation.Kind == ActivationKind.Identity => "",
                _ => layer.Activation.ToString(),
            };
            rows.Add(new LayerSummary(role, layer.Inputs, layer.Units, activation, layer.WeightCount, layer.BiasCount)
            {
                Kind = layer.Kind,
                OutputShape = layer.OutputShape,
                StateCount = layer.StateCount,
            });
        }
        Layers = rows;
        InputCount = network.InputCount;
        InputShape = network.InputShape;
        TotalParameters = network.ParameterCount;
        StateCount = network.State.Length;
    }

    /// <summary>One row per layer, input side first.</summary>
    public IReadOnlyList<LayerSummary> Layers { get; }

    /// <summary>Values per input example.</summary>
    public int InputCount { get; }

    /// <summary>The shape of one input example.</summary>
    public LayerShape InputShape { get; }

    /// <summary>All trainable parameters (weights and biases).</summary>
    public int TotalParameters { get; }

    /// <summary>Non-trainable values saved with the model (batch normalisation's running statistics).</summary>
    public int StateCount { get; }

    /// <summary>The table, Keras style.</summary>
    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        // Keras's widths, wider only where a name, a shape or a setting needs it.
        int name = Math.Max(14, Layers.Max(l => l.Name.Length) + 2), shape = Math.Max(16, Layers.Select(l => Shape(l.OutputShape)).Append(Shape(InputShape)).Max(t => t.Length) + 2);
        int activation = Math.Max(20, Layers.Max(l => l.Activation.Length) + 2);
        string row = $"{{0,-{name}}}{{1,-{shape}}}{{2,-{activation}}}{{3,18:N0}}";
        string rule = new('─', name + shape + activation + 18);
        sb.AppendLine(string.Format(c, row, "Layer", "Output shape", "Activation", "Param #"));
        sb.AppendLine(rule);
        sb.AppendLine(string.Format(c, row, "input", Shape(InputShape), "", 0));
        foreach (var l in Layers)
            sb.AppendLine(string.Format(c, row, l.Name, Shape(l.OutputShape), l.Activation, l.ParameterCount));
        sb.AppendLine(rule);
        sb.AppendLine(string.Format(c, "Total params: {0:N0} (weights {1:N0}, biases {2:N0})",
            TotalParameters, Layers.Sum(l => l.Weights), Layers.Sum(l => l.Biases)));
        if (StateCount > 0) sb.AppendLine(string.Format(c, "Non-trainable: {0:N0} (running statistics)", StateCount));
        return sb.ToString();
    }

    private static string Shape(LayerShape shape) => shape.IsImage
        ? string.Create(CultureInfo.InvariantCulture, $"(None, {shape.Height}, {shape.Width}, {shape.Channels})")
        : string.Create(CultureInfo.InvariantCulture, $"(None, {shape.Size})");
}

/// <summary>
/// One layer's line in a <see cref="NetworkSummary"/>: its name, input and output widths, activation (or a parameter-free
/// layer's settings), weights (regularised) and biases (every other trainable parameter: batch normalisation's γ and β).
/// </summary>
public sealed record LayerSummary(string Name, int Inputs, int Units, string Activation, int Weights, int Biases)
{
    /// <summary>Weights plus biases.</summary>
    public int ParameterCount => Weights + Biases;

    /// <summary>What the layer computes.</summary>
    public LayerKind Kind { get; init; }

    /// <summary>The shape of the layer's output.</summary>
    public LayerShape OutputShape { get; init; }

    /// <summary>Non-trainable values (batch normalisation's running mean and variance).</summary>
    public int StateCount { get; init; }
}
