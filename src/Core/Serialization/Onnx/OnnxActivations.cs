using MLNetNN.Activations;

namespace MLNetNN.Serialization.Onnx;

/// <summary>Each engine activation as the ONNX operators that compute the same function.</summary>
internal static class OnnxActivations
{
    /// <summary>Appends <c>f(<paramref name="z"/>)</c> as <paramref name="output"/> and returns its name.</summary>
    /// <exception cref="NotSupportedException">The activation has no ONNX form the exporter knows.</exception>
    public static string Append(OnnxGraphBuilder graph, ActivationKind kind, float alpha, string z, string output) => kind switch
    {
        ActivationKind.Identity => graph.Node("Identity", [z], output),
        // ONNX has no Heaviside step; z ≥ 0 as a boolean, cast to 1 or 0, is the engine's f(z) = 1 if z ≥ 0 else 0.
        ActivationKind.Step => graph.Node("Cast", [graph.Node("GreaterOrEqual", [z, graph.Constant($"{output}.zero", [0f])], $"{output}.nonnegative")], output,
            new OnnxAttribute("to", Int: (long)OnnxDataType.Float)),
        ActivationKind.Sigmoid => graph.Node("Sigmoid", [z], output),
        ActivationKind.Tanh => graph.Node("Tanh", [z], output),
        ActivationKind.ReLU => graph.Node("Relu", [z], output),
        // ONNX LeakyRelu and Elu have the engine's formulas: z if z > 0, else α·z or α·(e^z − 1).
        ActivationKind.LeakyReLU => graph.Node("LeakyRelu", [z], output, new OnnxAttribute("alpha", Float: alpha)),
        ActivationKind.ELU => graph.Node("Elu", [z], output, new OnnxAttribute("alpha", Float: alpha)),
        ActivationKind.Softplus => graph.Node("Softplus", [z], output),
        // Row-wise over the last axis, the units of each row, as the engine's softmax.
        ActivationKind.Softmax => graph.Node("Softmax", [z], output, new OnnxAttribute("axis", Int: -1)),
        _ => throw new NotSupportedException($"The activation {kind} has no ONNX export; the exporter knows Identity, Step, Sigmoid, Tanh, ReLU, LeakyReLU, ELU, Softplus and Softmax."),
    };
}
