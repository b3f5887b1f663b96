namespace MLNetNN.Serialization.Onnx;

/// <summary>Collects a graph's nodes and constants in the order they are added, which is the order they run.</summary>
internal sealed class OnnxGraphBuilder
{
    private readonly List<OnnxNode> _nodes = [];
    private readonly List<OnnxTensor> _initializers = [];

    /// <summary>The nodes so far, in running order.</summary>
    public IReadOnlyList<OnnxNode> Nodes => _nodes;

    /// <summary>The constants so far.</summary>
    public IReadOnlyList<OnnxTensor> Initializers => _initializers;

    /// <summary>Adds a float constant of shape <paramref name="dims"/> (none for a scalar) and returns its name.</summary>
    public string Constant(string name, float[] values, params long[] dims)
    {
        _initializers.Add(new OnnxTensor(name, dims, OnnxDataType.Float, Floats: values));
        return name;
    }

    /// <summary>Adds a one-dimensional string constant and returns its name.</summary>
    public string Constant(string name, string[] values)
    {
        _initializers.Add(new OnnxTensor(name, [values.Length], OnnxDataType.String, Strings: values));
        return name;
    }

    /// <summary>Adds a one-dimensional int64 constant (a shape, for Reshape) and returns its name.</summary>
    public string Constant(string name, long[] values)
    {
        _initializers.Add(new OnnxTensor(name, [values.Length], OnnxDataType.Int64, Int64s: values));
        return name;
    }

    /// <summary>Adds an operator reading <paramref name="inputs"/> into the value <paramref name="output"/>, which it returns; the node is named after its output.</summary>
    public string Node(string opType, string[] inputs, string output, params OnnxAttribute[] attributes)
    {
        _nodes.Add(new OnnxNode(opType, output, inputs, [output], attributes));
        return output;
    }
}
