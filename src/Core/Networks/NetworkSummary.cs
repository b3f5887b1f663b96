using System.Globalization;
using System.Text;

namespace MLNetNN.Networks;

/// <summary>A network's architecture at a glance, like Keras's <c>model.summary()</c>: one row per layer and the totals.</summary>
public sealed class NetworkSummary
{
    internal NetworkSummary(NeuralNetwork network)
    {
        var rows = new List<LayerSummary>();
        for (int l = 0; l < network.Layers.Count; l++)
        {
            var layer = network.Layers[l];
            string role = l == network.Layers.Count - 1 ? "output" : $"hidden_{l + 1}";
            rows.Add(new LayerSummary(role, layer.Inputs, layer.Units, layer.Activation.ToString(), layer.Inputs * layer.Units, layer.Units));
        }
        Layers = rows;
        InputCount = network.InputCount;
        TotalParameters = network.ParameterCount;
    }

    /// <summary>One row per dense layer, input side first.</summary>
    public IReadOnlyList<LayerSummary> Layers { get; }

    /// <summary>Values per input example.</summary>
    public int InputCount { get; }

    /// <summary>All trainable parameters (weights and biases).</summary>
    public int TotalParameters { get; }

    /// <summary>The table, Keras style.</summary>
    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        string rule = new('─', 68);
        sb.AppendLine(string.Format(c, "{0,-14}{1,-16}{2,-20}{3,18}", "Layer", "Output shape", "Activation", "Param #"));
        sb.AppendLine(rule);
        sb.AppendLine(string.Format(c, "{0,-14}{1,-16}{2,-20}{3,18}", "input", $"(None, {InputCount})", "", 0));
        foreach (var l in Layers)
            sb.AppendLine(string.Format(c, "{0,-14}{1,-16}{2,-20}{3,18:N0}", l.Name, $"(None, {l.Units})", l.Activation, l.ParameterCount));
        sb.AppendLine(rule);
        sb.AppendLine(string.Format(c, "Total params: {0:N0} (weights {1:N0}, biases {2:N0})",
            TotalParameters, Layers.Sum(l => l.Weights), Layers.Sum(l => l.Biases)));
        return sb.ToString();
    }
}

/// <summary>One layer's line in a <see cref="NetworkSummary"/>.</summary>
public sealed record LayerSummary(string Name, int Inputs, int Units, string Activation, int Weights, int Biases)
{
    /// <summary>Weights plus biases.</summary>
    public int ParameterCount => Weights + Biases;
}
