using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MLNetNN.Models;
using MLNetNN.Serialization.Onnx;

namespace MLNetNN.Onnx.Tests;

/// <summary>An exported model loaded into ONNX Runtime, run on raw rows.</summary>
internal sealed class OnnxRunner : IDisposable
{
    private readonly InferenceSession _session;

    public OnnxRunner(byte[] onnx) => _session = new InferenceSession(onnx);

    public static OnnxRunner Export(NeuralNetworkModel model)
    {
        using var stream = new MemoryStream();
        OnnxExporter.Write(model, stream);
        return new OnnxRunner(stream.ToArray());
    }

    public InferenceSession Session => _session;

    /// <summary>Runs <paramref name="rows"/> (row-major, <paramref name="count"/> rows) and returns every output by name: float[], long[] or string[].</summary>
    public Dictionary<string, Array> Run(float[] rows, int count)
    {
        int features = rows.Length / count;
        using var input = OrtValue.CreateTensorValueFromMemory(rows, [count, features]);
        var names = _session.OutputNames;
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, [OnnxExporter.InputName], [input], names);
        var result = new Dictionary<string, Array>();
        for (int i = 0; i < names.Count; i++)
        {
            var value = outputs[i];
            var type = value.GetTensorTypeAndShape().ElementDataType;
            result[names[i]] = type switch
            {
                TensorElementType.Float => value.GetTensorDataAsSpan<float>().ToArray(),
                TensorElementType.Int64 => value.GetTensorDataAsSpan<long>().ToArray(),
                TensorElementType.String => value.GetStringTensorAsArray(),
                _ => throw new InvalidOperationException($"Unexpected output type {type} of {names[i]}."),
            };
        }
        return result;
    }

    public void Dispose() => _session.Dispose();
}
