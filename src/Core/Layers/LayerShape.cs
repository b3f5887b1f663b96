using System.Globalization;

namespace MLNetNN.Layers;

/// <summary>
/// The shape of the values one example carries into or out of a layer: a flat vector of <see cref="Size"/> values, or an image of
/// <see cref="Height"/> × <see cref="Width"/> × <see cref="Channels"/> stored row by row with the channels of a pixel together
/// (channels last, as Keras stores images), so a batch is always rows × <see cref="Size"/> floats, whatever the shape.
/// </summary>
/// <remarks>A flat vector is 1 × 1 × size with <see cref="IsImage"/> false: its values are its channels, so per-channel layers (batch normalisation) treat both alike.</remarks>
[System.Text.Json.Serialization.JsonConverter(typeof(LayerShapeJsonConverter))]
public readonly record struct LayerShape
{
    private LayerShape(int height, int width, int channels, bool isImage)
    {
        if (height < 1 || width < 1 || channels < 1)
            throw new ArgumentOutOfRangeException(nameof(channels), $"A shape needs at least one value along each side; got {height}×{width}×{channels}.");
        if ((long)height * width * channels > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(channels), $"{height}×{width}×{channels} values per example are more than an array holds.");
        (Height, Width, Channels, IsImage) = (height, width, channels, isImage);
    }

    /// <summary>A flat vector of <paramref name="size"/> values.</summary>
    public static LayerShape Flat(int size) => new(1, 1, size, isImage: false);

    /// <summary>An image of <paramref name="height"/> × <paramref name="width"/> pixels with <paramref name="channels"/> values each.</summary>
    public static LayerShape Image(int height, int width, int channels) => new(height, width, channels, isImage: true);

    /// <summary>Rows of pixels (1 for a flat vector).</summary>
    public int Height { get; }

    /// <summary>Pixels per row (1 for a flat vector).</summary>
    public int Width { get; }

    /// <summary>Values per pixel; a flat vector's values.</summary>
    public int Channels { get; }

    /// <summary>Whether this is an image (height × width × channels) rather than a flat vector.</summary>
    public bool IsImage { get; }

    /// <summary>Values per example: height × width × channels.</summary>
    public int Size => Height * Width * Channels;

    /// <summary>Pixels per example (height × width; 1 for a flat vector): how many values of each channel an example has.</summary>
    public int Positions => Height * Width;

    /// <summary><c>784</c> or <c>28x28x1</c>: the form <see cref="Parse"/> reads.</summary>
    public override string ToString() => IsImage ? string.Create(CultureInfo.InvariantCulture, $"{Height}x{Width}x{Channels}") : Size.ToString(CultureInfo.InvariantCulture);

    /// <summary>Keras's way of writing it, without the batch axis: <c>(28, 28, 1)</c> or <c>(784)</c>.</summary>
    public string ToTupleString() => IsImage ? string.Create(CultureInfo.InvariantCulture, $"({Height}, {Width}, {Channels})") : string.Create(CultureInfo.InvariantCulture, $"({Size})");

    /// <summary>
    /// Reads <c>784</c> (a flat vector) or <c>28x28x1</c> (an image: height, width, channels; <c>×</c> also separates).
    /// </summary>
    /// <exception cref="FormatException">The text is neither, naming what was expected.</exception>
    public static LayerShape Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Trim().Split('x', 'X', '×');
        var sides = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out sides[i]) || sides[i] < 1)
                throw new FormatException($"'{text}' is not a shape: expected a positive width such as 784, or height x width x channels such as 28x28x1.");
        try
        {
            return sides.Length switch
            {
                1 => Flat(sides[0]),
                3 => Image(sides[0], sides[1], sides[2]),
                _ => throw new FormatException($"'{text}' is not a shape: expected a positive width such as 784, or height x width x channels such as 28x28x1."),
            };
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new FormatException($"'{text}' is not a usable shape: {e.Message}", e);
        }
    }
}
