using System.Reflection;
using Microsoft.ML;

namespace MLNetNN.MLNet;

/// <summary>
/// Removes the file <c>ml.Model.Save</c> has begun when it reaches a transformer it cannot store.
/// </summary>
/// <remarks>
/// <c>ml.Model.Save(model, schema, path)</c> calls <c>File.Create(path)</c> before any transformer is asked to save itself, so
/// refusing is not enough: the half-written zip (or a truncated copy of the model that was there) would stay behind, and fail
/// to load later, far from the cause. <see cref="ModelSaveContext"/> exposes nothing publicly, so the target stream is found
/// through ML.NET's private fields (ModelSaveContext.Repository → RepositoryWriter._archive → ZipArchive's stream); the
/// tests pin this against the ML.NET version referenced. If the fields ever move, the error message says to delete the file.
/// </remarks>
internal static class PartialModelFile
{
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    /// <summary>Closes and deletes the target when it is a file; returns a sentence saying what happened, for the error message.</summary>
    public static string Abandon(ModelSaveContext ctx)
    {
        if (Target(ctx) is not FileStream file)
            return "Whatever ml.Model.Save has written so far is incomplete and cannot be loaded.";
        string path = file.Name;
        try
        {
            // Closing first lets the delete succeed on Windows too; ML.NET's later attempt to finish the archive fails on the
            // closed stream, and it swallows that failure while disposing.
            file.Dispose();
            File.Delete(path);
            return $"The partly written file '{path}' was removed.";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"Delete the partly written file '{path}': it cannot be loaded ({e.Message}).";
        }
    }

    private static Stream? Target(ModelSaveContext ctx)
    {
        object? repository = ctx.GetType().GetField("Repository", Instance)?.GetValue(ctx);
        object? archive = repository?.GetType().GetField("_archive", Instance)?.GetValue(repository);
        if (archive is null) return null;
        var type = archive.GetType();
        // ZipArchive keeps the caller's stream in _backingStream when it had to wrap it, else in _archiveStream.
        return (type.GetField("_backingStream", Instance)?.GetValue(archive) ?? type.GetField("_archiveStream", Instance)?.GetValue(archive)) as Stream;
    }
}
