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
        if (Problem(height, width, channels) is { } problem) throw new ArgumentOutOfRangeException(nameof(channels), problem);
        (Height, Width, Channels, IsImage) = (height, width, channels, isImage);
    }

    /// <summary>Why no shape has these sides, or null when one has; one sentence for the constructors and <see cref="Parse"/>, which words it without .NET's parameter name.</summary>
    private static string? Problem(int height, int width, int channels) =>
        height < 1 || width < 1 || channels < 1
            ? string.Create(CultureInfo.InvariantCulture, $"A shape needs at least one value along each side; got {height}×{width}×{channels}.")
            : (long)height * width * channels > Array.MaxLength
                ? string.Create(CultureInfo.InvariantCulture, $"{height}×{width}×{channels} values per example are more than an array holds.")
                : null;

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
    /// <exception cref="FormatException">The text is neither, or too large a shape; the message names the text and the expected form.</exception>
    public static LayerShape Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        const string Forms = "a positive width such as 784, or height x width x channels such as 28x28x1";
        var parts = text.Trim().Split('x', 'X', '×');
        var sides = new int[parts.Length];
        bool read = parts.Length is 1 or 3;
        for (int i = 0; read && i < parts.Length; i++)
            read = int.TryParse(parts[i].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out sides[i]) && sides[i] >= 1;
        if (!read) throw new FormatException($"'{text}' is not a shape: expected {Forms}.");
        var (height, width, channels) = sides.Length == 1 ? (1, 1, sides[0]) : (sides[0], sides[1], sides[2]);
        if (Problem(height, width, channels) is { } problem)
            throw new FormatException($"'{text}' is not a usable shape: {problem} Expected {Forms}.");
        return sides.Length == 1 ? Flat(sides[0]) : Image(height, width, channels);
    }
}
