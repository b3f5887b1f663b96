namespace MLNetNN.Data;

/// <summary>
/// Images read from an IDX file (the MNIST format): <see cref="Count"/> grayscale images of
/// <see cref="Height"/> × <see cref="Width"/> bytes, stored image after image, each row-major.
/// </summary>
public sealed class IdxImageSet
{
    /// <summary>Wraps pixels already read (not copied).</summary>
    /// <exception cref="ArgumentException">
    /// The pixel count is not <paramref name="count"/> × <paramref name="height"/> × <paramref name="width"/>, or one image has
    /// more pixels than an array can hold.
    /// </exception>
    public IdxImageSet(byte[] pixels, int count, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        // Checked first so that PixelsPerImage fits an int even for an empty set, and the product below fits a long.
        if ((long)height * width > Array.MaxLength)
            throw new ArgumentException($"One image of {height} × {width} pixels is more than an array can hold.", nameof(width));
        if ((long)count * height * width != pixels.Length)
            throw new ArgumentException($"{pixels.Length} pixels given; expected {count} images × {height} × {width} = {(long)count * height * width}.", nameof(pixels));
        Pixels = pixels;
        Count = count;
        Height = height;
        Width = width;
    }

    /// <summary>All pixels, image after image, each image row-major.</summary>
    public byte[] Pixels { get; }

    /// <summary>Number of images.</summary>
    public int Count { get; }

    /// <summary>Pixel rows per image.</summary>
    public int Height { get; }

    /// <summary>Pixel columns per image.</summary>
    public int Width { get; }

    /// <summary>Pixels per image, <see cref="Height"/> × <see cref="Width"/>.</summary>
    public int PixelsPerImage => Height * Width;

    /// <summary>The pixels of one image, row-major.</summary>
    public ReadOnlySpan<byte> Image(int index)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"Image index outside 0..{Count - 1}.");
        return Pixels.AsSpan(index * PixelsPerImage, PixelsPerImage);
    }
}
