using System.Buffers.Binary;
using System.IO.Compression;
using MLNetNN.Data;
using Xunit;

namespace MLNetNN.Tests.Data;

/// <summary>
/// Seeded mutations of small IDX files, raw and gzipped: whatever the bytes, reading either succeeds or throws an
/// <see cref="InvalidDataException"/> naming the file, and never allocates far beyond the file's real content.
/// </summary>
public sealed class IdxReaderFuzzTests : IDisposable
{
    private const int Cases = 6000;

    // More than any of these files can hold decompressed; a reader trusting a header would allocate up to 2 GB.
    private const long AllocationLimit = 8 << 20;

    private static readonly uint[] InterestingSizes = [0, 1, 2, 255, 256, 46340, 46341, 65535, 65536, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF];

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mlnetnn-idxfuzz-" + Guid.NewGuid().ToString("N"));

    public IdxReaderFuzzTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Mutated_headers_and_bodies_raise_only_InvalidDataException_naming_the_file()
    {
        var random = new Random(20261203);
        byte[] images = Idx(IdxReader.ImagesMagic, [5, 4, 3], random);
        byte[] labels = Idx(IdxReader.LabelsMagic, [5], random);
        string imagesPath = Path.Combine(_folder, "images");
        string labelsPath = Path.Combine(_folder, "labels");
        int refused = 0;

        for (int i = 0; i < Cases; i++)
        {
            bool mutateImages = random.Next(2) == 0;
            File.WriteAllBytes(imagesPath, mutateImages ? Mutate(images, random) : Maybe(images, random));
            File.WriteAllBytes(labelsPath, mutateImages ? Maybe(labels, random) : Mutate(labels, random));
            string target = mutateImages ? imagesPath : labelsPath;

            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                switch (random.Next(3))
                {
                    case 0: IdxReader.ReadImages(imagesPath); break;
                    case 1: IdxReader.ReadLabels(labelsPath); break;
                    default: IdxReader.LoadDataset(imagesPath, labelsPath); break;
                }
            }
            catch (InvalidDataException e)
            {
                // The reader names the file it failed on (the other one, when the unmutated file is read with the wrong magic).
                Assert.True(e.Message.Contains($"'{imagesPath}'") || e.Message.Contains($"'{labelsPath}'"), $"case {i}: {e.Message}");
                refused++;
            }
            catch (Exception e)
            {
                Assert.Fail($"case {i}: {e.GetType().Name} escaped: {e.Message}\n{e.StackTrace}");
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < AllocationLimit, $"case {i} ({target}) allocated {allocated} bytes.");
        }

        // The mutations must mostly produce broken files, or the test would prove nothing.
        Assert.InRange(refused, Cases / 2, Cases);
    }

    /// <summary>A valid IDX file with random content; label bytes stay below 10 so the pair loads as a data set.</summary>
    private static byte[] Idx(int magic, int[] dims, Random random)
    {
        int bodyLength = dims.Aggregate(1, (a, b) => a * b);
        var bytes = new byte[4 + 4 * dims.Length + bodyLength];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int d = 0; d < dims.Length; d++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * d), dims[d]);
        for (int i = 4 + 4 * dims.Length; i < bytes.Length; i++) bytes[i] = (byte)random.Next(10);
        return bytes;
    }

    /// <summary>The valid file, raw or gzipped.</summary>
    private static byte[] Maybe(byte[] valid, Random random) => random.Next(2) == 0 ? valid : Gzip(valid);

    /// <summary>
    /// One to four damages: a header word set to a size at an edge, a byte changed, the file cut or extended; applied to the
    /// raw bytes (then sometimes gzipped) or to the gzipped bytes themselves.
    /// </summary>
    private static byte[] Mutate(byte[] valid, Random random)
    {
        bool zipAfter = random.Next(3) == 0, zipBefore = !zipAfter && random.Next(2) == 0;
        var bytes = new List<byte>(zipBefore ? Gzip(valid) : valid);
        for (int m = random.Next(1, 5); m > 0; m--)
        {
            switch (random.Next(5))
            {
                case 0 when !zipBefore && bytes.Count >= 8:
                    int word = 4 * random.Next(1, Math.Min(4, bytes.Count / 4));
                    uint size = random.Next(2) == 0 ? InterestingSizes[random.Next(InterestingSizes.Length)] : (uint)random.NextInt64(0, 1L << 32);
                    for (int b = 0; b < 4; b++) bytes[word + b] = (byte)(size >> (24 - 8 * b));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                    break;
                case 2 when bytes.Count > 0:
                    int length = random.Next(bytes.Count);
                    bytes.RemoveRange(length, bytes.Count - length);
                    break;
                case 3:
                    for (int n = random.Next(1, 9); n > 0; n--) bytes.Add((byte)random.Next(256));
                    break;
                default:
                    if (bytes.Count > 0) bytes[random.Next(bytes.Count)] ^= (byte)(1 << random.Next(8));
                    break;
            }
        }
        byte[] result = bytes.ToArray();
        return zipAfter ? Gzip(result) : result;
    }

    private static byte[] Gzip(byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var zip = new GZipStream(buffer, CompressionLevel.Fastest)) zip.Write(content);
        return buffer.ToArray();
    }
}
