using System.Collections;
using System.Reflection;
using Microsoft.ML;

namespace MLNetNN.MLNet;

/// <summary>
/// Undoes what <c>ml.Model.Save</c> has written when it reaches a transformer that refuses to be saved, so that the refusal
/// leaves nothing in the target stream: it ends, and is positioned, where ML.NET began writing.
/// </summary>
/// <remarks>
/// ML.NET writes a model as a zip straight into the target stream (its version entry first, each component's entries as the
/// next one begins), and still finishes the zip while disposing after a failure; so by the time a component is asked to save,
/// bytes have reached the stream, and more would follow the refusal. The zip is therefore detached from ML.NET's writer (it
/// then writes nothing more) and the stream cut back to where the zip began. Two losses happen before any component runs and
/// cannot be undone, so the message names them: <c>ml.Model.Save(path)</c> empties the file (<c>File.Create</c>) first, and a
/// stream positioned before its end has had its bytes from there on overwritten. The adapter never deletes or closes the
/// stream: it cannot tell ML.NET's own file stream from one the caller passed in.
/// <see cref="ModelSaveContext"/> exposes nothing publicly, so the zip, its stream and where it began are reached through
/// private fields (ModelSaveContext.Repository → RepositoryWriter._archive → ZipArchive's stream and its first entry's
/// offset); the tests pin this against every Microsoft.ML version test.sh runs. If the fields move, nothing is touched.
/// </remarks>
internal static class RefusedModelSave
{
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    /// <summary>Rolls the target stream back where possible; returns a sentence saying what became of it, for the error message.</summary>
    public static string RollBack(ModelSaveContext ctx)
    {
        object? repository = Field(ctx, "Repository");
        var archiveField = repository?.GetType().GetField("_archive", Instance);
        object? archive = archiveField?.GetValue(repository);
        // ZipArchive keeps the caller's stream in _backingStream when it had to wrap it (it cannot seek), else in _archiveStream.
        if ((Field(archive, "_backingStream") ?? Field(archive, "_archiveStream")) is not Stream stream
            || Field(archive, "_entries") is not IList { Count: > 0 } entries
            || Field(entries[0], "_offsetOfLocalHeader") is not long start)
            return "What ml.Model.Save has written so far is incomplete and cannot be loaded.";
        string target = stream is FileStream file ? $"'{file.Name}'" : "the stream";
        if (!stream.CanSeek)
            return $"What ml.Model.Save has written to {target} stays, since it cannot seek: it is incomplete and cannot be loaded.";

        archiveField!.SetValue(repository, null);
        long end = stream.Position;
        try
        {
            if (stream.Length > end)
            {
                // The stream held more than ML.NET wrote: keep its length and the bytes ML.NET did not reach.
                stream.Position = start;
                return $"ML.NET had overwritten bytes {start} to {end} of {target} before reaching the network; they cannot be restored. " +
                    "Its length, its other bytes and its position are as they were.";
            }
            stream.SetLength(start);
            stream.Position = start;
        }
        catch (Exception e) when (e is IOException or NotSupportedException)
        {
            return $"Cutting {target} back to where ml.Model.Save began failed ({e.Message}): from byte {start} on it is incomplete and cannot be loaded.";
        }
        // Whether the stream held bytes between start and end before ML.NET overwrote them cannot be known; usually it did not.
        string restored = $"Nothing ml.Model.Save wrote stays: {target} ends at byte {start} again, where ML.NET began writing, and is " +
            "positioned there, as it was unless it held bytes beyond that, which ML.NET overwrote before reaching the network.";
        return start == 0 && stream is FileStream
            ? restored + " If it was ml.Model.Save(path), ML.NET had emptied the file before any component could refuse, so a model " +
              "that was there is lost; SaveWithNeuralNetwork replaces a file only once the new one is complete."
            : restored;
    }

    private static object? Field(object? owner, string name) => owner?.GetType().GetField(name, Instance)?.GetValue(owner);
}
