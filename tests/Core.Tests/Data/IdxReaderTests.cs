using System.Buffers.Binary;
using System.IO.Compression;
using MLNetNN.Data;
using Xunit;

namespace MLNetNN.Tests.Data;

public sealed class IdxReaderTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mlnetnn-idx-" + Guid.NewGuid().ToString("N"));

    public IdxReaderTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static byte[] Idx(int magic, int[] dims, byte[] body)
    {
        var bytes = new byte[4 + 4 * dims.Length + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int d = 0; d < dims.Length; d++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * d), dims[d]);
        body.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    private static byte[] Images(int count, int height, int width) =>
        Idx(IdxReader.ImagesMagic, [count, height, width], Enumerable.Range(0, count * height * width).Select(i => (byte)(i * 7)).ToArray());

    private static byte[] Labels(params byte[] labels) => Idx(IdxReader.LabelsMagic, [labels.Length], labels);

    private string Write(string name, byte[] content, bool gzip = false)
    {
        string path = Path.Combine(_folder, name);
        if (!gzip)
        {
            File.WriteAllBytes(path, content);
            return path;
        }
        using var file = File.Create(path);
        using var zip = new GZipStream(file, CompressionLevel.Fastest);
        zip.Write(content);
        return path;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Images_are_read_raw_or_gzipped_with_their_dimensions(bool gzip)
    {
        // The name says nothing about compression: detection goes by content.
        string path = Write("images.bin", Images(3, 2, 4), gzip);

        IdxImageSet images = IdxReader.ReadImages(path);

        Assert.Equal(3, images.Count);
        Assert.Equal(2, images.Height);
        Assert.Equal(4, images.Width);
        Assert.Equal(24, images.Pixels.Length);
        Assert.Equal((byte)(8 * 7), images.Image(1)[0]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Labels_are_read_raw_or_gzipped(bool gzip)
    {
        string path = Write("labels.idx1-ubyte.gz", Labels(3, 1, 4), gzip);

        Assert.Equal([3, 1, 4], IdxReader.ReadLabels(path));
    }

    [Fact]
    public void LoadDataset_scales_pixels_and_names_the_ten_digit_classes()
    {
        string images = Write("i", Images(3, 2, 2), gzip: true);
        string labels = Write("l", Labels(7, 0, 9));

        Dataset data = IdxReader.LoadDataset(images, labels);

        Assert.Equal(3, data.Rows);
        Assert.Equal(4, data.Columns);
        Assert.Equal(["pixel_0_0", "pixel_0_1", "pixel_1_0", "pixel_1_1"], data.FeatureNames);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i.ToString()), data.ClassNames);
        Assert.Equal([7f, 0f, 9f], data.Labels);
        Assert.Equal(7 * 5 / 255f, data.Row(1)[1], 6);
    }

    [Fact]
    public void LoadDataset_uses_the_given_class_names_and_scale()
    {
        string images = Write("i", Images(2, 1, 1));
        string labels = Write("l", Labels(1, 0));

        Dataset data = IdxReader.LoadDataset(images, labels, scale: 1f, classNames: ["T-shirt", "Trouser"]);

        Assert.Equal(["T-shirt", "Trouser"], data.ClassNames);
        Assert.Equal([0f, 7f], data.Features);
    }

    [Fact]
    public void Labels_above_nine_extend_the_default_classes()
    {
        Dataset data = IdxReader.LoadDataset(Write("i", Images(2, 1, 1)), Write("l", Labels(11, 0)));

        Assert.Equal(12, data.ClassCount);
    }

    [Fact]
    public void A_label_without_a_class_name_is_rejected()
    {
        var error = Assert.Throws<InvalidDataException>(() =>
            IdxReader.LoadDataset(Write("i", Images(2, 1, 1)), Write("l", Labels(0, 5)), classNames: ["a", "b"]));

        Assert.Contains("example 1 (0-based) is 5, but only 2 class names were given", error.Message);
    }

    [Fact]
    public void Swapped_files_report_the_bad_magic_and_the_likely_mistake()
    {
        string labels = Write("labels", Labels(1, 2));

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(labels));

        Assert.Equal($"'{labels}' is not an IDX image file: magic number 0x00000801, expected 0x00000803. It is an IDX label file; are the image and label paths swapped?", error.Message);
    }

    [Fact]
    public void A_file_of_another_format_reports_its_magic_number()
    {
        string path = Write("x.png", [0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 0]);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path));

        Assert.Contains("magic number 0x89504E47, expected 0x00000801", error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Truncated_pixels_report_expected_and_actual_byte_counts(bool gzip)
    {
        byte[] full = Images(3, 2, 2);
        string path = Write("short", full[..^5], gzip);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Contains("the header announces 3 images of 2×2 pixels, so expected 28 bytes", error.Message);
        Assert.Contains("got 23.", error.Message);
    }

    [Fact]
    public void A_truncated_header_reports_the_header_size()
    {
        string path = Write("short", Images(1, 2, 2)[..10]);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Equal($"'{path}' is truncated: expected 16 header bytes, got 10.", error.Message);
    }

    [Fact]
    public void A_tiny_file_reports_the_missing_magic_number()
    {
        string path = Write("tiny", [0, 0]);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path));

        Assert.Contains("expected at least 4 bytes for the IDX magic number, got 2", error.Message);
    }

    [Fact]
    public void Trailing_bytes_are_rejected()
    {
        string path = Write("long", [.. Labels(1, 2), 9]);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path));

        Assert.Contains("expected exactly 10 bytes", error.Message);
    }

    [Fact]
    public void Image_and_label_counts_must_match()
    {
        string images = Write("i", Images(3, 1, 1));
        string labels = Write("l", Labels(1, 2));

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.LoadDataset(images, labels));

        Assert.Equal($"'{images}' holds 3 images but '{labels}' holds 2 labels; they must pair one to one.", error.Message);
    }

    private static byte[] Header(params uint[] words)
    {
        var bytes = new byte[4 * words.Length];
        for (int i = 0; i < words.Length; i++) BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4 * i), words[i]);
        return bytes;
    }

    [Theory]
    [InlineData(0x40000005u, 0x2000001Du, 0x0000001Cu)] // the header: count × pixels overflowed an int
    [InlineData(0u, 46341u, 46341u)] // 2,147,488,281 pixels per image: PixelsPerImage overflowed
    [InlineData(0u, 65536u, 65536u)] // 2^32 pixels per image: PixelsPerImage wrapped to 0
    [InlineData(0x7FFFFFFFu, 0x7FFFFFFFu, 0x7FFFFFFFu)] // the product overflows even a long
    public void Image_sizes_no_array_can_hold_are_refused_naming_the_file(uint count, uint height, uint width)
    {
        string path = Write("huge", Header(IdxReader.ImagesMagic, count, height, width));

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.StartsWith($"'{path}': the header announces {count} images of {height}×{width} pixels", error.Message);
        Assert.Contains("more than one array can hold", error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_tiny_file_announcing_gigabytes_fails_without_allocating_them(bool gzip)
    {
        // 16 bytes that announce 2 GB of pixels (1 image of 46340 × 46340): the body must be measured, not allocated.
        string path = Write("liar", Header(IdxReader.ImagesMagic, 1, 46340, 46340), gzip);
        long before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 4 << 20);
        Assert.Contains($"'{path}' is truncated: the header announces 1 images of 46340×46340 pixels, so expected 2147395616 bytes", error.Message);
        Assert.EndsWith("got 16.", error.Message);
    }

    [Fact]
    public void An_empty_image_set_of_wide_images_is_refused_without_naming_its_pixels()
    {
        // 0 images of 1 × 20,000,000 pixels: the old loader spent 1.3 GB naming 20 million features of an empty set.
        string images = Write("i", Header(IdxReader.ImagesMagic, 0, 1, 20_000_000));
        string labels = Write("l", Labels());
        long before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.LoadDataset(images, labels));

        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 1 << 20);
        Assert.Equal($"'{images}' holds no images; a data set needs at least one example.", error.Message);
    }

    [Fact]
    public void Pixel_names_of_a_wide_image_are_made_only_when_read()
    {
        string images = Write("i", Idx(IdxReader.ImagesMagic, [1, 2, 1_000_000], new byte[2_000_000]));
        string labels = Write("l", Labels(3));
        long before = GC.GetAllocatedBytesForCurrentThread();

        Dataset data = IdxReader.LoadDataset(images, labels);

        // 2 MB of pixels and 8 MB of features; two million eager names would add about 100 MB.
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 12 << 20);
        Assert.Equal(2_000_000, data.FeatureNames.Count);
        Assert.Equal("pixel_1_999999", data.FeatureNames[1_999_999]);
        Assert.Equal("pixel_0_2", data.FeatureNames.ElementAt(2));
    }

    [Fact]
    public void A_corrupt_gzip_stream_is_an_error_naming_the_file()
    {
        byte[] zipped;
        using (var buffer = new MemoryStream())
        {
            using (var zip = new GZipStream(buffer, CompressionLevel.Fastest)) zip.Write(Images(4, 3, 3));
            zipped = buffer.ToArray();
        }
        zipped[3] = 0xFF; // reserved gzip flag bits
        zipped[10] ^= 0xFF; // and a damaged first deflate block
        string path = Write("corrupt.gz", zipped);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.StartsWith($"'{path}' is not a valid gzip file: ", error.Message);
        Assert.IsType<InvalidDataException>(error.InnerException);
    }

    [Fact]
    public void A_pixel_scale_that_makes_255_infinite_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => IdxReader.LoadDataset(Write("i", Images(1, 1, 1)), Write("l", Labels(0)), scale: 1e37f));
    }
}
