using MLNetNN.Networks;

namespace MLNetNN.PowerShell.Training;

/// <summary>
/// New-NeuralNet's <c>-Layers</c> text: why a text is refused, in the parameter's words, and what tab completion offers for the
/// layer being typed.
/// </summary>
public static class LayerTokens
{
    /// <summary>A layer of each kind with a typical setting: what completion offers for a new layer.</summary>
    public static IReadOnlyList<string> Examples { get; } = ["dense128", "dense64", "dropout0.5", "dropout0.2", "bn", "conv32x3", "pool2", "flatten"];

    /// <summary>The text of -Layers given as one text (<c>'dense128,dropout0.5'</c>) or as PowerShell's list (<c>dense128,dropout0.5</c>): the parts joined by commas.</summary>
    public static string Join(IEnumerable<string> parts) => string.Join(",", parts);

    /// <summary>Null for text the engine reads as layers, else the engine's sentence naming the layer, its position and what was expected.</summary>
    public static string? Refusal(string text)
    {
        try
        {
            _ = LayerText.Parse(text);
            return null;
        }
        catch (FormatException e)
        {
            return $"-Layers {text} is not allowed: {e.Message}";
        }
    }

    /// <summary>
    /// The whole texts tab completion offers for <paramref name="typed"/> (quotes ignored): the layers before the last comma
    /// kept (in a quoted text; unquoted, PowerShell hands over only the list element being typed), the last one completed with a layer kind (<see cref="Examples"/>) or, after <c>dense128:</c>, an activation.
    /// </summary>
    public static IEnumerable<string> Complete(string typed)
    {
        typed = (typed ?? "").Trim('\'', '"');
        int comma = typed.LastIndexOf(',');
        string before = typed[..(comma + 1)], last = typed[(comma + 1)..].TrimStart();
        int colon = last.IndexOf(':');
        IEnumerable<string> candidates = colon > 0 && last.StartsWith("dense", StringComparison.OrdinalIgnoreCase)
            ? HiddenActivations.Allowed.Select(a => last[..(colon + 1)] + a.ToString().ToLowerInvariant())
            : Examples;
        return candidates.Where(c => c.StartsWith(last, StringComparison.OrdinalIgnoreCase)).Select(c => before + c);
    }
}
