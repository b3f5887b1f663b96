using MLNetNN.IO;

namespace MLNetNN.Tests.IO;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlnetnn-atomic-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_failed_write_names_the_target_not_the_temporary_file_and_leaves_the_old_file()
    {
        string path = Path.Combine(_folder, "model.nn");
        File.WriteAllText(path, "old");
        // The temporary file vanishes before the rename (as if another process removed it), so the rename fails in the system
        // call, whose message names the file it could not find: the temporary one.
        var e = Assert.ThrowsAny<IOException>(() => AtomicFile.Write(path, stream => File.Delete(((FileStream)stream).Name), "the model"));
        Assert.StartsWith($"Cannot save the model to {path}: ", e.Message);
        Assert.DoesNotContain(".tmp", e.Message);
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_folder));
    }

    [Fact]
    public void A_new_file_gets_the_permissions_a_plain_file_creation_gives()
    {
        if (OperatingSystem.IsWindows()) return; // Unix permission bits only
        string plain = Path.Combine(_folder, "plain"), atomic = Path.Combine(_folder, "atomic");
        File.WriteAllText(plain, "x");
        AtomicFile.Write(atomic, stream => stream.WriteByte((byte)'x'), "the test file");
        Assert.Equal(File.GetUnixFileMode(plain), File.GetUnixFileMode(atomic));
    }

    [Fact]
    public void A_dangling_symbolic_link_is_saved_through_to_the_file_it_names()
    {
        string link = Path.Combine(_folder, "link.nn");
        File.CreateSymbolicLink(link, "target.nn");
        AtomicFile.Write(link, stream => stream.WriteByte(42), "the test file");
        Assert.Equal([42], File.ReadAllBytes(Path.Combine(_folder, "target.nn")));
        Assert.Equal("target.nn", new FileInfo(link).LinkTarget);
    }
}
