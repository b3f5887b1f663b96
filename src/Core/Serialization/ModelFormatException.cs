namespace MLNetNN.Serialization;

/// <summary>A model file could not be read: not a model file, truncated, corrupted, from a newer format, or inconsistent.</summary>
public sealed class ModelFormatException : Exception
{
    /// <summary>An error about the file at <paramref name="path"/>.</summary>
    public ModelFormatException(string path, string problem, Exception? inner = null)
        : base($"{path}: {problem}", inner) => FilePath = path;

    /// <summary>The file that failed to load.</summary>
    public string FilePath { get; }
}
