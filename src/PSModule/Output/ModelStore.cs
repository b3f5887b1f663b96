using MLNetNN.Models;

namespace MLNetNN.PowerShell.Output;

/// <summary>Saving and loading model files with the rules the cmdlets promise: no silent overwrite, no half-written file.</summary>
public static class ModelStore
{
    /// <summary>
    /// Saves <paramref name="model"/> to <paramref name="fullPath"/> in <paramref name="format"/>. The engine writes a
    /// temporary file and renames it over the target, so a failure leaves any earlier file as it was and no partial file behind.
    /// </summary>
    /// <exception cref="ModelFileExistsException">The file exists and <paramref name="overwrite"/> is false.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder or the file may not be written; the message names the file asked for.</exception>
    /// <exception cref="NotSupportedException">ONNX cannot express something the model uses (named in the message).</exception>
    public static void Save(NeuralNetModel model, string fullPath, bool overwrite, ModelFileFormat format = ModelFileFormat.Native)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(fullPath);
        if (Directory.Exists(fullPath))
        {
            string example = format == ModelFileFormat.Onnx ? "model.onnx" : "model.nn";
            throw new IOException($"Cannot save the model to {fullPath}: it is a folder. Give a file name, e.g. {System.IO.Path.Combine(fullPath, example)}.");
        }
        if (!overwrite && File.Exists(fullPath)) throw new ModelFileExistsException(fullPath);
        try
        {
            if (format == ModelFileFormat.Onnx) model.Model.SaveOnnx(fullPath);
            else model.Model.Save(fullPath);
        }
        catch (UnauthorizedAccessException e)
        {
            // The engine's message names the hidden temporary file it tried to create beside the target: name the target.
            throw new UnauthorizedAccessException(
                $"Cannot save the model to {fullPath}: access is denied (is the folder {System.IO.Path.GetDirectoryName(fullPath)} or the file read-only?).", e);
        }
        if (format == ModelFileFormat.Native) model.Path = fullPath;
    }

    /// <summary>The format <c>Save-NeuralNet</c> writes when none is given: ONNX for a <c>.onnx</c> file, else the native one.</summary>
    public static ModelFileFormat FormatFor(string path) =>
        string.Equals(System.IO.Path.GetExtension(path), ".onnx", StringComparison.OrdinalIgnoreCase) ? ModelFileFormat.Onnx : ModelFileFormat.Native;

    /// <summary>Reads a model file.</summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="fullPath"/>.</exception>
    /// <exception cref="Serialization.ModelFormatException">Not a model file, damaged, or from a newer format.</exception>
    public static NeuralNetModel Load(string fullPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fullPath);
        return new NeuralNetModel(NeuralNetworkModel.Load(fullPath), path: fullPath);
    }
}

/// <summary>The file formats a model is saved in.</summary>
public enum ModelFileFormat
{
    /// <summary>MLNetNN's own format (<c>*.nn</c>): everything the model holds, read back by <c>Import-NeuralNet</c>.</summary>
    Native,

    /// <summary>ONNX (<c>*.onnx</c>), for ONNX Runtime and other ONNX tools; it holds the network for prediction only and is not read back.</summary>
    Onnx,
}

/// <summary>Saving would replace an existing file and the caller did not say to (<c>-Force</c>).</summary>
public sealed class ModelFileExistsException(string path)
    : IOException($"The file {path} already exists. Use -Force to overwrite it, or choose another -Path.")
{
    /// <summary>The existing file.</summary>
    public string FilePath { get; } = path;
}
