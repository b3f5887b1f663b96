using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace MLNetNN.IO;

/// <summary>
/// Replaces a file whole or not at all: the content goes to a temporary file beside the target, is flushed to disk, takes the
/// target's permissions and is renamed over it; the folder is then flushed so the rename itself survives a crash. Every writer
/// of the engine's files (model files, charts) goes through here.
/// </summary>
public static partial class AtomicFile
{
    /// <summary>
    /// Writes what <paramref name="write"/> puts in its stream to <paramref name="path"/>, replacing any file there only once the
    /// new content is complete on disk. A symbolic link is followed, so the file it points to is replaced and the link stays a
    /// link; an existing file keeps its Unix permission bits. On failure the old file is untouched and no temporary file remains.
    /// </summary>
    /// <param name="path">The file to write.</param>
    /// <param name="write">Writes the content; the stream is closed afterwards.</param>
    /// <param name="what">What is saved, for error messages ("the model", "the chart").</param>
    /// <exception cref="DirectoryNotFoundException">The folder of <paramref name="path"/> does not exist.</exception>
    /// <exception cref="IOException">The target is a folder, or writing or renaming failed (the message names the target).</exception>
    /// <exception cref="UnauthorizedAccessException">The folder or the file may not be written.</exception>
    public static void Write(string path, Action<Stream> write, string what)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(write);
        string target = FinalTarget(Path.GetFullPath(path));
        string directory = Path.GetDirectoryName(target) ?? throw new ArgumentException($"'{path}' is not a file path.", nameof(path));
        if (Directory.Exists(target))
            throw new IOException($"Cannot save {what} to {target}: it is a folder.");
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"Cannot save {what} to {target}: the folder {directory} does not exist.");

        UnixFileMode? mode = !OperatingSystem.IsWindows() && File.Exists(target) ? File.GetUnixFileMode(target) : null;
        // A short name, so a target name of up to 255 bytes still leaves room for it; hidden, so listings skip it while it exists.
        string temporary = Path.Combine(directory, $".{Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant()}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            // Until it has its final bits, the content is readable by its owner only: a 0600 target's new content is never exposed.
            if (!OperatingSystem.IsWindows() && mode is not null) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var stream = new FileStream(temporary, options))
            {
                write(stream);
                if (!OperatingSystem.IsWindows() && mode is UnixFileMode bits) File.SetUnixFileMode(stream.SafeFileHandle, bits);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, target, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            // The system's message names the temporary file, which the user never asked for; it is the target that was not saved.
            string reason = e.Message.Replace(temporary, target, StringComparison.Ordinal);
            if (e is UnauthorizedAccessException) throw new UnauthorizedAccessException($"Cannot save {what} to {target}: {reason}", e);
            throw new IOException($"Cannot save {what} to {target}: {reason}", e);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
        FlushDirectory(directory);
    }

    /// <summary>The file a chain of symbolic links at <paramref name="path"/> ends at (which may not exist yet), else the path itself.</summary>
    private static string FinalTarget(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is null) return path;
        return File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
    }

    /// <summary>
    /// Makes the rename durable: on Unix a rename lives in the folder, which has to be flushed on its own (fsync on the folder).
    /// .NET cannot open a folder as a file, hence the system calls. Best effort: the new file is already in place, so a system
    /// or file system that cannot flush folders is no reason to report the save as failed. Windows journals renames itself.
    /// </summary>
    private static void FlushDirectory(string directory)
    {
        if (OperatingSystem.IsWindows()) return;
        try
        {
            int descriptor = Posix.Open(directory, 0 /* O_RDONLY */);
            if (descriptor < 0) return;
            Posix.FSync(descriptor);
            Posix.Close(descriptor);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static partial class Posix
    {
        [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
        public static partial int Open(string path, int flags);

        [LibraryImport("libc", EntryPoint = "fsync")]
        public static partial int FSync(int descriptor);

        [LibraryImport("libc", EntryPoint = "close")]
        public static partial int Close(int descriptor);
    }
}
