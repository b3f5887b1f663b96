namespace MLNetNN.Serialization.Onnx;

// The few ONNX IR messages the exporter writes, each with only the fields it uses. Field numbers are those of the ONNX IR
// specification (onnx.proto, IR version 8); a message writes its fields in field-number order, as protobuf serialisers do.

/// <summary>ONNX element types (<c>TensorProto.DataType</c>) the exporter uses.</summary>
internal enum OnnxDataType
{
    Float = 1,
    Int64 = 7,
    String = 8,
    Bool = 9,
}

/// <summary><c>ModelProto</c>: the file's top level.</summary>
internal sealed record OnnxModel(long IrVersion, long Opset, string ProducerName, string ProducerVersion, string DocString,
    OnnxGraph Graph, IReadOnlyList<KeyValuePair<string, string>> Metadata)
{
    public void WriteTo(ProtobufWriter w)
    {
        w.WriteInt64(1, IrVersion);
        w.WriteString(2, ProducerName);
        w.WriteString(3, ProducerVersion);
        w.WriteString(6, DocString);
        w.WriteMessage(7, Graph.WriteTo);
        // OperatorSetIdProto: domain 1 (empty: the default ai.onnx domain, so left out), version 2.
        w.WriteMessage(8, opset => opset.WriteInt64(2, Opset));
        foreach (var (key, value) in Metadata)
        {
            // StringStringEntryProto: key 1, value 2.
            w.WriteMessage(14, entry =>
            {
                entry.WriteString(1, key);
                entry.WriteString(2, value);
            });
        }
    }
}

/// <summary><c>GraphProto</c>: nodes in topological order, constant tensors, and the typed inputs and outputs.</summary>
internal sealed record OnnxGraph(string Name, string DocString, IReadOnlyList<OnnxNode> Nodes, IReadOnlyList<OnnxTensor> Initializers,
    IReadOnlyList<OnnxValueInfo> Inputs, IReadOnlyList<OnnxValueInfo> Outputs)
{
    public void WriteTo(ProtobufWriter w)
    {
        foreach (var node in Nodes) w.WriteMessage(1, node.WriteTo);
        w.WriteString(2, Name);
        foreach (var tensor in Initializers) w.WriteMessage(5, tensor.WriteTo);
        w.WriteString(10, DocString);
        foreach (var input in Inputs) w.WriteMessage(11, input.WriteTo);
        foreach (var output in Outputs) w.WriteMessage(12, output.WriteTo);
    }
}

/// <summary><c>NodeProto</c>: one operator of the default domain applied to named values.</summary>
internal sealed record OnnxNode(string OpType, string Name, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, IReadOnlyList<OnnxAttribute> Attributes)
{
    public void WriteTo(ProtobufWriter w)
    {
        foreach (var input in Inputs) w.WriteString(1, input);
        foreach (var output in Outputs) w.WriteString(2, output);
        w.WriteString(3, Name);
        w.WriteString(4, OpType);
        foreach (var attribute in Attributes) w.WriteMessage(5, attribute.WriteTo);
    }
}

/// <summary><c>AttributeProto</c> holding one float, one integer or a list of integers (the only kinds the exported operators take).</summary>
internal sealed record OnnxAttribute(string Name, float? Float = null, long? Int = null, long[]? Ints = null)
{
    /// <summary><c>AttributeProto.AttributeType</c> values.</summary>
    private const int FloatType = 1, IntType = 2, IntsType = 7;

    public void WriteTo(ProtobufWriter w)
    {
        w.WriteString(1, Name);
        if (Float is { } f) w.WriteFloat(2, f);
        if (Int is { } i) w.WriteInt64(3, i);
        if (Ints is not null) w.WritePackedInt64s(8, Ints);
        // The type discriminator (field 20) is required since IR version 2.
        w.WriteInt64(20, Float is not null ? FloatType : Ints is not null ? IntsType : IntType);
    }
}

/// <summary><c>TensorProto</c>: a named constant (weights, biases, scaler parameters, class names, shapes), row-major.</summary>
internal sealed record OnnxTensor(string Name, IReadOnlyList<long> Dims, OnnxDataType Type, float[]? Floats = null, string[]? Strings = null, long[]? Int64s = null)
{
    public void WriteTo(ProtobufWriter w)
    {
        if (Dims.Count > 0) w.WritePackedInt64s(1, Dims.ToArray());
        w.WriteInt64(2, (long)Type);
        if (Floats is not null) w.WritePackedFloats(4, Floats);
        if (Strings is not null) foreach (string s in Strings) w.WriteString(6, s);
        if (Int64s is not null) w.WritePackedInt64s(7, Int64s);
        w.WriteString(8, Name);
    }
}

/// <summary>
/// <c>ValueInfoProto</c> of a tensor: name, element type and shape, each dimension a fixed size or a named symbol
/// (<c>dim_param</c>) such as the batch size.
/// </summary>
internal sealed record OnnxValueInfo(string Name, OnnxDataType Type, IReadOnlyList<OnnxDimension> Shape, string DocString)
{
    public void WriteTo(ProtobufWriter w)
    {
        w.WriteString(1, Name);
        // TypeProto: tensor_type 1 → TypeProto.Tensor: elem_type 1, shape 2 → TensorShapeProto: dim 1.
        w.WriteMessage(2, type => type.WriteMessage(1, tensor =>
        {
            tensor.WriteInt64(1, (long)Type);
            tensor.WriteMessage(2, shape =>
            {
                // TensorShapeProto.Dimension: dim_value 1 or dim_param 2.
                foreach (var dim in Shape)
                    shape.WriteMessage(1, d => { if (dim.Symbol is null) d.WriteInt64(1, dim.Size); else d.WriteString(2, dim.Symbol); });
            });
        }));
        w.WriteString(3, DocString);
    }
}

/// <summary>One dimension of a shape: a fixed <see cref="Size"/>, or a <see cref="Symbol"/> fixed only when the model runs.</summary>
internal readonly record struct OnnxDimension(long Size, string? Symbol = null)
{
    public static implicit operator OnnxDimension(long size) => new(size);

    public static implicit operator OnnxDimension(string symbol) => new(0, symbol);
}
