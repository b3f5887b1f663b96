using MLNetNN.Models;

namespace MLNetNN.PowerShell.Output;

/// <summary>Saving and loading model files with the rules the cmdlets promise: no silent overwrite, no half-written file.</summary>
public static class ModelStore
{
    /// <summary>
    /// Saves <paramref name="model"/> to <paramref name="fullPath"/>. The engine writes a temporary file and renames it over the
    /// target, so a failure leaves any earlier file as it was and no partial file behind.
    /// </summary>
    /// <exception cref="ModelFileExistsException">The file exists and <paramref name="overwrite"/> is false.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public static void Save(NeuralNetModel model, string fullPath, bool overwrite)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(fullPath);
        if (Directory.Exists(fullPath))
            throw new IOException($"Cannot save the model to {fullPath}: it is a folder. Give a file name, e.g. {System.IO.Path.Combine(fullPath, "model.nn")}.");
        if (!overwrite && File.Exists(fullPath)) throw new ModelFileExistsException(fullPath);
        model.Model.Save(fullPath);
        model.Path = fullPath;
    }

    /// <summary>Reads a model file.</summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="fullPath"/>.</exception>
    /// <exception cref="Serialization.ModelFormatException">Not a model file, damaged, or from a newer format.</exception>
    public static NeuralNetModel Load(string fullPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fullPath);
        return new NeuralNetModel(NeuralNetworkModel.Load(fullPath), path: fullPath);
    }
}

/// <summary>Saving would replace an existing file and the caller did not say to (<c>-Force</c>).</summary>
public sealed class ModelFileExistsException(string path)
    : IOException($"The file {path} already exists. Use -Force to overwrite it, or choose another -Path.")
{
    /// <summary>The existing file.</summary>
    public string FilePath { get; } = path;
}
