namespace MLNetNN.Numerics;

/// <summary>Where a sliding window may go: only where it lies wholly inside the image, or also over its edges.</summary>
public enum Padding
{
    /// <summary>No padding: the window stays inside the image, so <c>out = ⌊(in − window) / stride⌋ + 1</c>.</summary>
    Valid,

    /// <summary>
    /// Padded so that <c>out = ⌈in / stride⌉</c>: <c>pad = max((out − 1)·stride + window − in, 0)</c> positions in all, half of
    /// them (rounded down) before the image and the rest after it, as Keras and ONNX's <c>SAME_UPPER</c> place them.
    /// </summary>
    Same,
}

/// <summary>
/// A window of <see cref="WindowHeight"/> × <see cref="WindowWidth"/> pixels sliding over images of <see cref="InputHeight"/> ×
/// <see cref="InputWidth"/> pixels with <see cref="Channels"/> values each, <see cref="StrideY"/> rows and <see cref="StrideX"/>
/// columns at a step: the geometry a convolution's kernel and a pooling window share. Images are stored channels last (NHWC),
/// a pixel's channels together and the pixels row by row, so an image is one row of a batch.
/// </summary>
/// <remarks>
/// Output pixel (oy, ox) covers input rows <c>oy·StrideY − PadTop + ky</c> and columns <c>ox·StrideX − PadLeft + kx</c> for
/// <c>0 ≤ ky &lt; WindowHeight</c>, <c>0 ≤ kx &lt; WindowWidth</c>; positions outside the image are padding.
/// </remarks>
public readonly record struct WindowGeometry
{
    /// <summary>The geometry of a window over images of the given size; every side and step must be at least 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A side or step is below 1, or a <see cref="Padding.Valid"/> window is larger than the image.</exception>
    public WindowGeometry(int inputHeight, int inputWidth, int channels, int windowHeight, int windowWidth, int strideY, int strideX, Padding padding)
    {
        if (inputHeight < 1 || inputWidth < 1 || channels < 1)
            throw new ArgumentOutOfRangeException(nameof(channels), $"An image needs at least one pixel and one channel; got {inputHeight}×{inputWidth}×{channels}.");
        if (windowHeight < 1 || windowWidth < 1)
            throw new ArgumentOutOfRangeException(nameof(windowHeight), $"A window needs at least one pixel; got {windowHeight}×{windowWidth}.");
        if (strideY < 1 || strideX < 1)
            throw new ArgumentOutOfRangeException(nameof(strideY), $"A stride must be at least 1; got {strideY}×{strideX}.");
        if (padding == Padding.Valid && (windowHeight > inputHeight || windowWidth > inputWidth))
            throw new ArgumentOutOfRangeException(nameof(windowHeight),
                $"A {windowHeight}×{windowWidth} window does not fit in a {inputHeight}×{inputWidth} image without padding.");
        if (padding is not (Padding.Valid or Padding.Same)) throw new ArgumentOutOfRangeException(nameof(padding), padding, "Unknown padding.");
        (InputHeight, InputWidth, Channels, WindowHeight, WindowWidth, StrideY, StrideX, Padding) =
            (inputHeight, inputWidth, channels, windowHeight, windowWidth, strideY, strideX, padding);
        if (padding == Padding.Valid)
        {
            OutputHeight = (inputHeight - windowHeight) / strideY + 1;
            OutputWidth = (inputWidth - windowWidth) / strideX + 1;
        }
        else
        {
            OutputHeight = (inputHeight + strideY - 1) / strideY;
            OutputWidth = (inputWidth + strideX - 1) / strideX;
            PadTop = Math.Max((OutputHeight - 1) * strideY + windowHeight - inputHeight, 0) / 2;
            PadLeft = Math.Max((OutputWidth - 1) * strideX + windowWidth - inputWidth, 0) / 2;
        }
        if ((long)inputHeight * inputWidth * channels > Array.MaxLength || (long)OutputPositions * windowHeight * windowWidth * channels > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(channels), "An image, or its patches, would hold more values than an array can.");
    }

    /// <summary>Rows of pixels in an input image.</summary>
    public int InputHeight { get; }

    /// <summary>Pixels per row of an input image.</summary>
    public int InputWidth { get; }

    /// <summary>Values per input pixel.</summary>
    public int Channels { get; }

    /// <summary>Rows of pixels the window covers.</summary>
    public int WindowHeight { get; }

    /// <summary>Pixels per row the window covers.</summary>
    public int WindowWidth { get; }

    /// <summary>Rows the window moves down per output row.</summary>
    public int StrideY { get; }

    /// <summary>Columns the window moves right per output column.</summary>
    public int StrideX { get; }

    /// <summary>Whether the window may cover the image's edges.</summary>
    public Padding Padding { get; }

    /// <summary>Rows of output pixels.</summary>
    public int OutputHeight { get; }

    /// <summary>Output pixels per row.</summary>
    public int OutputWidth { get; }

    /// <summary>Padding rows above the image (those below are whatever the last window needs).</summary>
    public int PadTop { get; }

    /// <summary>Padding columns left of the image.</summary>
    public int PadLeft { get; }

    /// <summary>Padding rows below the image that some window covers: <c>(OutputHeight − 1)·StrideY + WindowHeight − InputHeight − PadTop</c>, at least 0.</summary>
    public int PadBottom => Math.Max((OutputHeight - 1) * StrideY + WindowHeight - InputHeight - PadTop, 0);

    /// <summary>Padding columns right of the image that some window covers.</summary>
    public int PadRight => Math.Max((OutputWidth - 1) * StrideX + WindowWidth - InputWidth - PadLeft, 0);

    /// <summary>Values per input image: height × width × channels.</summary>
    public int InputSize => InputHeight * InputWidth * Channels;

    /// <summary>Output pixels per image.</summary>
    public int OutputPositions => OutputHeight * OutputWidth;

    /// <summary>Values one window covers: window height × width × channels (a convolution's patch, one row of its im2col matrix).</summary>
    public int PatchLength => WindowHeight * WindowWidth * Channels;
}
