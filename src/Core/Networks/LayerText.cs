using System.Globalization;
using MLNetNN.Activations;
using MLNetNN.Layers;
using MLNetNN.Numerics;

namespace MLNetNN.Networks;

/// <summary>
/// The compact text form of a network's hidden layers, for the Quickstart, ML.NET options and PowerShell: layers separated by
/// commas, input side first, each a name, its main setting and, after colons, its options (case and spaces do not matter):
/// <list type="bullet">
/// <item><c>dense128</c>, <c>dense64:tanh</c>, <c>dense32:leakyrelu0.2</c>: a dense layer of that many units, with the given activation (α after a leaky ReLU or ELU) or the default one.</item>
/// <item><c>dropout0.5</c>: dropout of that share of the values in training.</item>
/// <item><c>bn</c> or <c>batchnorm</c>, optionally <c>bn0.9</c> (momentum) and <c>bn0.9:1e-5</c> (momentum, ε): batch normalisation, Keras's defaults 0.99 and 1e-3.</item>
/// <item><c>flatten</c>: an image as one flat vector.</item>
/// <item><c>conv32x3</c>, <c>conv32x3s2</c>, <c>conv32x3:same</c>, <c>conv32x3:same:tanh</c>: a convolution of 32 filters of 3×3 pixels, with
/// an optional stride (<c>s2</c>), padding (<c>same</c> or the default <c>valid</c>) and activation (or the default one).</item>
/// <item><c>pool2</c> (or <c>maxpool2</c>), <c>pool3s2</c>, <c>pool2:same</c>: max pooling over 2×2 windows, moving by the window's side
/// unless a stride is given.</item>
/// </list>
/// The output layer is not written: the task adds it.
/// </summary>
public static class LayerText
{
    /// <summary>
    /// The layers <paramref name="text"/> lists; a dense layer without an activation gets <paramref name="activation"/>
    /// (with <paramref name="alpha"/>, for leaky ReLU and ELU).
    /// </summary>
    /// <exception cref="FormatException">A layer is not understood or its setting is out of range; the message names it, its position and what was expected.</exception>
    public static IReadOnlyList<LayerSpec> Parse(string text, ActivationKind activation = Training.Defaults.HiddenActivation, float? alpha = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var specs = new List<LayerSpec>();
        if (text.Trim().Length == 0) return specs;
        int start = 0;
        string[] tokens = text.Split(',');
        for (int i = 0; i < tokens.Length; start += tokens[i].Length + 1, i++)
        {
            string token = tokens[i].Trim();
            try
            {
                specs.Add(ParseLayer(token, activation, alpha));
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                string where = $"layer {i + 1} ('{token}', at character {start + tokens[i].Length - tokens[i].TrimStart().Length + 1}) of '{text}'";
                throw new FormatException($"In {where}: {Sentence(e)}", e);
            }
        }
        return specs;
    }

    /// <summary>The text form of <paramref name="layers"/>, which <see cref="Parse"/> reads back to the same specifications.</summary>
    public static string Format(IEnumerable<LayerSpec> layers) => string.Join(",", layers.Select(Format));

    /// <summary>The text form of one layer.</summary>
    public static string Format(LayerSpec layer)
    {
        var c = CultureInfo.InvariantCulture;
        return layer.Kind switch
        {
            LayerKind.Dense => string.Create(c, $"dense{layer.Units}:{layer.Activation.ToString().ToLowerInvariant()}{(layer.Alpha is float a ? a.ToString(c) : "")}"),
            LayerKind.Dropout => string.Create(c, $"dropout{layer.Rate}"),
            LayerKind.BatchNormalization => layer.Momentum == Training.Defaults.BatchNormalizationMomentum && layer.Epsilon == Training.Defaults.BatchNormalizationEpsilon
                ? "bn" : string.Create(c, $"bn{layer.Momentum}:{layer.Epsilon}"),
            LayerKind.Flatten => "flatten",
            LayerKind.Convolution => string.Create(c, $"conv{layer.Units}x{layer.Size}{(layer.Stride != 1 ? string.Create(c, $"s{layer.Stride}") : "")}{(layer.Padding == Padding.Same ? ":same" : "")}:{layer.Activation.ToString().ToLowerInvariant()}{(layer.Alpha is float a ? a.ToString(c) : "")}"),
            LayerKind.MaxPooling => string.Create(c, $"pool{layer.Size}{(layer.Stride != layer.Size ? string.Create(c, $"s{layer.Stride}") : "")}{(layer.Padding == Padding.Same ? ":same" : "")}"),
            _ => throw new ArgumentOutOfRangeException(nameof(layer), layer.Kind, "Unknown layer kind."),
        };
    }

    /// <summary>
    /// An error's own sentence, for a message that quotes it: a layer's setting is refused with an
    /// <see cref="ArgumentException"/>, whose message .NET ends with "(Parameter 'units')" and "Actual value was 0.", words of
    /// the code rather than of the text being read.
    /// </summary>
    internal static string Sentence(Exception e)
    {
        string message = e.Message;
        int suffix = e is ArgumentException { ParamName: { } name } ? message.IndexOf($" (Parameter '{name}')", StringComparison.Ordinal) : -1;
        return suffix >= 0 ? message[..suffix] : message;
    }

    private const string Expected = "expected dense<units>[:activation], dropout<rate>, bn[<momentum>[:<epsilon>]], flatten, " +
        "conv<filters>x<kernel>[s<stride>][:same][:activation] or pool<size>[s<stride>][:same]";

    private static LayerSpec ParseLayer(string token, ActivationKind activation, float? alpha)
    {
        if (token.Length == 0) throw new FormatException($"the layer is empty; {Expected}.");
        string[] parts = token.Split(':');
        int nameLength = 0;
        while (nameLength < parts[0].Length && char.IsAsciiLetter(parts[0][nameLength])) nameLength++;
        string name = parts[0][..nameLength].ToLowerInvariant(), setting = parts[0][nameLength..].Trim();
        string[] options = parts[1..].Select(o => o.Trim()).ToArray();
        switch (name)
        {
            case "dense":
                Allow(options, 1, name);
                int units = DenseLayer.CheckUnits(Integer(setting, "a unit count such as dense128"));
                if (options.Length == 0) return LayerSpec.Dense(units, activation, alpha);
                var (kind, a) = Activation(options[0]);
                return LayerSpec.Dense(units, kind, a);
            case "dropout":
                Allow(options, 0, name);
                return LayerSpec.Dropout(DropoutLayer.CheckRate(Number(setting, "a rate such as dropout0.5")));
            case "bn" or "batchnorm":
                Allow(options, 1, name);
                float momentum = setting.Length == 0 ? Training.Defaults.BatchNormalizationMomentum : Number(setting, "a momentum such as bn0.99");
                float epsilon = options.Length == 0 ? Training.Defaults.BatchNormalizationEpsilon : Number(options[0], "an epsilon such as bn0.99:0.001");
                BatchNormalizationLayer.CheckSettings(momentum, epsilon);
                return LayerSpec.BatchNormalization(momentum, epsilon);
            case "flatten":
                Allow(options, 0, name);
                if (setting.Length > 0) throw new FormatException($"flatten takes no setting; found '{setting}'.");
                return LayerSpec.Flatten();
            case "conv":
            {
                Allow(options, 2, name);
                string[] sides = setting.Split('x', 'X', '×');
                if (sides.Length != 2) throw new FormatException($"'{setting}' is not filters x kernel; expected a setting such as conv32x3 or conv32x3s2.");
                int filters = ConvolutionLayer.CheckFilters(Integer(sides[0], "a filter count such as conv32x3"));
                var (kernel, stride) = SideAndStride(sides[1], 1, "a kernel side such as conv32x3 or conv32x3s2");
                var padding = Numerics.Padding.Valid;
                (ActivationKind Kind, float? Alpha)? chosen = null;
                foreach (string option in options)
                {
                    if (PaddingOf(option) is { } p)
                    {
                        if (options.Count(o => PaddingOf(o) is not null) > 1) throw new FormatException("conv takes one padding, same or valid.");
                        padding = p;
                    }
                    else if (chosen is null) chosen = Activation(option);
                    else throw new FormatException($"conv takes one activation; found '{string.Join(":", options)}'.");
                }
                return LayerSpec.Convolution(filters, kernel, stride, padding, chosen?.Kind ?? activation, chosen is null ? alpha : chosen.Value.Alpha);
            }
            case "pool" or "maxpool":
            {
                Allow(options, 1, name);
                var (size, stride) = SideAndStride(setting, null, "a window side such as pool2 or pool3s2");
                var padding = options.Length == 0 ? Numerics.Padding.Valid
                    : PaddingOf(options[0]) ?? throw new FormatException($"'{options[0]}' is not a padding; expected same or valid.");
                return LayerSpec.MaxPooling(size, stride, padding);
            }
            default:
                throw new FormatException($"'{(name.Length > 0 ? name : token)}' is not a layer; {Expected}.");
        }
    }

    private static void Allow(string[] options, int most, string name)
    {
        if (options.Length > most)
            throw new FormatException(most == 0 ? $"{name} takes no ':' options; found ':{string.Join(":", options)}'." : $"{name} takes at most {most} ':' option; found {options.Length}.");
    }

    /// <summary>A window's side, then optionally <c>s</c> and its stride: <c>3</c>, <c>3s2</c>; the stride defaults to <paramref name="stride"/>, or the side.</summary>
    private static (int Side, int Stride) SideAndStride(string text, int? stride, string expected)
    {
        int s = text.IndexOfAny(['s', 'S']);
        int side = WindowSide(Integer(s < 0 ? text : text[..s], expected));
        int step = s < 0 ? stride ?? side : WindowSide(Integer(text[(s + 1)..], expected));
        return (side, step);
    }

    private static int WindowSide(int value) =>
        value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "A window's side and its stride must be at least 1.");

    private static Numerics.Padding? PaddingOf(string text) =>
        text.Equals("same", StringComparison.OrdinalIgnoreCase) ? Numerics.Padding.Same
        : text.Equals("valid", StringComparison.OrdinalIgnoreCase) ? Numerics.Padding.Valid : null;

    private static int Integer(string text, string expected) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) ? value
            : throw new FormatException(text.Length == 0 ? $"the number is missing; expected {expected}." : $"'{text}' is not a whole number; expected {expected}.");

    private static float Number(string text, string expected) =>
        float.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out float value) && float.IsFinite(value) ? value
            : throw new FormatException(text.Length == 0 ? $"the number is missing; expected {expected}." : $"'{text}' is not a number; expected {expected}.");

    /// <summary>An activation's name (any case), then α for leaky ReLU and ELU: <c>tanh</c>, <c>leakyrelu0.2</c>.</summary>
    private static (ActivationKind Kind, float? Alpha) Activation(string text)
    {
        int length = 0;
        while (length < text.Length && char.IsAsciiLetter(text[length])) length++;
        string name = text[..length], rest = text[length..];
        foreach (var kind in Enum.GetValues<ActivationKind>())
        {
            if (!name.Equals(kind.ToString(), StringComparison.OrdinalIgnoreCase)) continue;
            if (rest.Length == 0) return (kind, null);
            if (kind is not (ActivationKind.LeakyReLU or ActivationKind.ELU))
                throw new FormatException($"{kind} takes no α; found '{rest}'.");
            return (kind, Number(rest, $"α such as {name}0.2"));
        }
        throw new FormatException($"'{text}' is not an activation; expected one of {string.Join(", ", Enum.GetNames<ActivationKind>().Select(n => n.ToLowerInvariant()))}.");
    }
}
