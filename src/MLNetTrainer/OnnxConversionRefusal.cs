using System.Diagnostics;

namespace MLNetNN.MLNet;

/// <summary>
/// Makes ML.NET's <c>ml.Model.ConvertToOnnx</c> refuse a pipeline with a network instead of writing a wrong file.
/// </summary>
/// <remarks>
/// ML.NET's converter transforms the input through the pipeline, then walks the resulting views back from the end, asking each
/// to write itself as ONNX through interfaces that are internal to ML.NET (<c>ITransformCanSaveOnnx</c>, <c>OnnxContext</c>'s
/// implementation). It stops, with only a log warning, at the first view that cannot, and makes that view's columns the
/// graph's inputs: for a pipeline with a network, the network's own outputs become inputs, the transforms before it vanish,
/// and the file (about a kilobyte) computes nothing of the model. No public route lets a third-party transformer join the walk,
/// and the converter calls nothing of the network but <c>Transform</c>, so that is where the refusal is made: it looks for the
/// converter (<c>Microsoft.ML.OnnxExportExtensions</c>) among its callers. That is a stack walk, made once per
/// <c>Transform</c> call (once per pipeline application, not per row); the tests pin it on every Microsoft.ML version test.sh runs.
/// </remarks>
internal static class OnnxConversionRefusal
{
    private const string ConverterType = "Microsoft.ML.OnnxExportExtensions";

    /// <exception cref="NotSupportedException">The caller is ML.NET's ONNX converter.</exception>
    public static void ThrowIfConverting()
    {
        foreach (var frame in new StackTrace(skipFrames: 2, fNeedFileInfo: false).GetFrames())
        {
            if (frame.GetMethod()?.DeclaringType?.FullName != ConverterType) continue;
            throw new NotSupportedException(
                "ml.Model.ConvertToOnnx cannot convert a pipeline with an MLNetNN neural network: ML.NET's converter only walks " +
                "components built into ML.NET, and would write a file in which the network's outputs are inputs and the transforms " +
                "before it are missing. Export the network alone with model.SaveOnnx(path) (the transformer's Model; its input is the " +
                "feature vector the network reads), or save the whole pipeline with ml.Model.Save, which ml.Model.Load reads without " +
                "MLNetNN through ML.NET's OnnxTransformer.");
        }
    }
}
