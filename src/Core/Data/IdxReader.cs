using System.Buffers.Binary;
using System.IO.Compression;
using System.Numerics.Tensors;

namespace MLNetNN.Data;

/// <summary>
/// Reads the IDX format of MNIST and Fashion-MNIST: a 4-byte big-endian magic number
/// (0x00000803 for unsigned-byte images of 3 dimensions, 0x00000801 for labels), one big-endian 32-bit size per
/// dimension, then the bytes. Files may be raw or gzip-compressed; gzip is recognised by its 0x1f 0x8b magic, not
/// by the file name, because downloaded files are often renamed or decompressed in place.
/// </summary>
/// <remarks>Malformed files raise <see cref="InvalidDataException"/> naming the file and what was expected.</remarks>
public static class IdxReader
{
    /// <summary>The magic number of an IDX image file: unsigned bytes (0x08), 3 dimensions (count, rows, columns).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>The magic number of an IDX label file: unsigned bytes (0x08), 1 dimension (count).</summary>
    public const int LabelsMagic = 0x00000801;

    /// <summary>
    /// The first buffer for a gzip body; it doubles as data arrives, so MNIST's 47 MB cost ten resizes (about 64 MB of copying,
    /// negligible beside the decompression) and a header that lies costs at most twice what the stream really holds.
    /// </summary>
    private const int InitialGzipBuffer = 1 << 16;

    /// <summary>Reads an IDX image file (raw or gzip).</summary>
    /// <exception cref="InvalidDataException">
    /// Wrong magic number, an image size no array can hold, truncated data, trailing bytes or a corrupt gzip stream.
    /// </exception>
    public static IdxImageSet ReadImages(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using Stream stream = Open(path);
        int[] dims = ReadHeader(stream, path, ImagesMagic, "image");
        string announced = $"{dims[0]} images of {dims[1]}×{dims[2]} pixels";
        // Each image becomes one data-set row of int-indexed columns, so one image must fit an array even when there are none.
        long pixelsPerImage = (long)dims[1] * dims[2];
        if (pixelsPerImage > Array.MaxLength)
            throw new InvalidDataException($"'{path}': the header announces {announced}, {pixelsPerImage} pixels per image, more than one array can hold.");
        byte[] pixels = ReadBody(stream, path, dims[0] * pixelsPerImage, 4 + 4 * dims.Length, announced);
        return new IdxImageSet(pixels, dims[0], dims[1], dims[2]);
    }

    /// <summary>Reads an IDX label file (raw or gzip): one byte per example.</summary>
    /// <exception cref="InvalidDataException">Wrong magic number, truncated data, trailing bytes or a corrupt gzip stream.</exception>
    public static byte[] ReadLabels(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using Stream stream = Open(path);
        int[] dims = ReadHeader(stream, path, LabelsMagic, "label");
        return ReadBody(stream, path, dims[0], 4 + 4 * dims.Length, $"{dims[0]} labels");
    }

    /// <summary>
    /// Loads an image file and its label file as a classification data set with one feature per pixel,
    /// feature = pixel × <paramref name="scale"/>, named pixel_{row}_{column}.
    /// </summary>
    /// <param name="imagesPath">The IDX image file (raw or gzip).</param>
    /// <param name="labelsPath">The IDX label file (raw or gzip).</param>
    /// <param name="scale">Multiplies each byte; the default 1/255 maps pixels to [0, 1].</param>
    /// <param name="classNames">
    /// The class names; null means "0".."9", or "0".."max" when a label exceeds 9.
    /// </param>
    /// <exception cref="InvalidDataException">
    /// A file is malformed, the files hold different numbers of examples or none, or a label has no class name.
    /// </exception>
    public static Dataset LoadDataset(string imagesPath, string labelsPath, float scale = 1f / 255f, IReadOnlyList<string>? classNames = null)
    {
        // The brightest pixel, 255 × scale, must stay finite too.
        if (!float.IsFinite(scale * byte.MaxValue) || scale <= 0)
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "The pixel scale must be a positive number small enough that 255 × scale is finite.");
        IdxImageSet images = ReadImages(imagesPath);
        byte[] labels = ReadLabels(labelsPath);
        if (images.Count != labels.Length)
            throw new InvalidDataException($"'{imagesPath}' holds {images.Count} images but '{labelsPath}' holds {labels.Length} labels; they must pair one to one.");
        if (images.Count == 0) throw new InvalidDataException($"'{imagesPath}' holds no images; a data set needs at least one example.");

        int maxLabel = labels.Length == 0 ? 0 : TensorPrimitives.Max<byte>(labels);
        if (classNames is null)
        {
            classNames = Enumerable.Range(0, Math.Max(10, maxLabel + 1)).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        }
        else if (maxLabel >= classNames.Count)
        {
            int at = labels.AsSpan().IndexOf((byte)maxLabel);
            throw new InvalidDataException($"'{labelsPath}': the label of example {at} (0-based) is {maxLabel}, but only {classNames.Count} class names were given.");
        }

        var features = new float[images.Pixels.Length];
        TensorPrimitives.ConvertTruncating<byte, float>(images.Pixels, features);
        TensorPrimitives.Multiply(features, scale, features);
        var labelValues = new float[labels.Length];
        TensorPrimitives.ConvertTruncating<byte, float>(labels, labelValues);

        return new Dataset(features, images.Count, images.PixelsPerImage, labelValues, 1, null,
            new IndexedNames(images.PixelsPerImage, i => $"pixel_{i / images.Width}_{i % images.Width}"), classNames);
    }

    private static Stream Open(string path)
    {
        var file = File.OpenRead(path);
        Span<byte> start = stackalloc byte[2];
        int read = file.ReadAtLeast(start, 2, throwOnEndOfStream: false);
        file.Position = 0;
        return read == 2 && start[0] == 0x1f && start[1] == 0x8b
            ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: false)
            : file;
    }

    /// <summary>Reads up to <paramref name="buffer"/>'s length; a corrupt gzip stream becomes an error naming the file.</summary>
    private static int Read(Stream stream, Span<byte> buffer, string path)
    {
        try
        {
            return stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            // GZipStream's own message ("The archive entry was compressed using an unsupported compression method.") names no file.
            throw new InvalidDataException($"'{path}' is not a valid gzip file: {e.Message}", e);
        }
    }

    private static int[] ReadHeader(Stream stream, string path, int expectedMagic, string kind)
    {
        Span<byte> word = stackalloc byte[4];
        int read = Read(stream, word, path);
        if (read < 4) throw new InvalidDataException($"'{path}' is truncated: expected at least 4 bytes for the IDX magic number, got {read}.");
        int magic = BinaryPrimitives.ReadInt32BigEndian(word);
        if (magic != expectedMagic)
        {
            string hint = magic == (expectedMagic == ImagesMagic ? LabelsMagic : ImagesMagic)
                ? $" It is an IDX {(kind == "image" ? "label" : "image")} file; are the image and label paths swapped?"
                : "";
            throw new InvalidDataException($"'{path}' is not an IDX {kind} file: magic number 0x{magic:X8}, expected 0x{expectedMagic:X8}.{hint}");
        }

        var dims = new int[magic & 0xFF];
        for (int d = 0; d < dims.Length; d++)
        {
            read = Read(stream, word, path);
            if (read < 4)
                throw new InvalidDataException($"'{path}' is truncated: expected {4 + 4 * dims.Length} header bytes, got {4 + 4 * d + read}.");
            uint size = BinaryPrimitives.ReadUInt32BigEndian(word);
            if (size > int.MaxValue || (d > 0 && size == 0))
                throw new InvalidDataException($"'{path}': dimension {d} has size {size}, which is not a valid {(d == 0 ? "count" : "image size")}.");
            dims[d] = (int)size;
        }
        return dims;
    }

    /// <summary>
    /// Reads exactly <paramref name="size"/> bytes and checks nothing follows. The header's size is never trusted for an
    /// allocation: a raw file is measured first, and a gzip stream (whose length is unknown until decompressed) is read into a
    /// buffer that grows with what actually arrives, so a 16-byte file announcing gigabytes fails without taking them.
    /// </summary>
    private static byte[] ReadBody(Stream stream, string path, long size, int headerBytes, string announced)
    {
        // Both factors are at most int.MaxValue, so the caller's product cannot overflow a long.
        if (size > Array.MaxLength)
            throw new InvalidDataException($"'{path}': the header announces {announced}, {size} bytes, more than one array can hold.");
        if (stream.CanSeek && stream.Length - stream.Position < size)
            throw Truncated(stream, path, size, headerBytes, announced, stream.Length - stream.Position);

        var body = new byte[stream.CanSeek ? size : Math.Min(size, InitialGzipBuffer)];
        int filled = 0;
        while (true)
        {
            filled += Read(stream, body.AsSpan(filled), path);
            if (filled < body.Length) throw Truncated(stream, path, size, headerBytes, announced, filled);
            if (filled == size) break;
            Array.Resize(ref body, (int)Math.Min(size, 2L * body.Length));
        }
        Span<byte> probe = stackalloc byte[1];
        if (Read(stream, probe, path) > 0)
            throw new InvalidDataException($"'{path}' has bytes after the {announced} its header announces; expected exactly {headerBytes + size} bytes.");
        return body;
    }

    private static InvalidDataException Truncated(Stream stream, string path, long size, int headerBytes, string announced, long got)
    {
        string content = stream is GZipStream ? " of decompressed content" : "";
        return new InvalidDataException(
            $"'{path}' is truncated: the header announces {announced}, so expected {headerBytes + size} bytes{content}, got {headerBytes + got}.");
    }
}
