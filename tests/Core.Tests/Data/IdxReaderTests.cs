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
}
