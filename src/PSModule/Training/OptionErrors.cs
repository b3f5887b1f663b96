namespace MLNetNN.PowerShell.Training;

/// <summary>
/// Rewords the engine's refusal of an option in the words of the cmdlet that set it: the parameter's name instead of the
/// engine's option name, and without .NET's "(Parameter 'X')" and "Actual value was" lines.
/// </summary>
public static class OptionErrors
{
    /// <summary>
    /// E.g. "LearningRate must be positive. (Parameter 'LearningRate') Actual value was 0." becomes
    /// "-LearningRate 0 is not allowed: it must be positive." when <paramref name="parameterOf"/> maps LearningRate to
    /// LearningRate; an option with no parameter keeps the engine's name.
    /// </summary>
    public static string Describe(ArgumentException exception, object? value, Func<string, string?> parameterOf)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(parameterOf);
        string message = exception.Message;
        string? option = exception.ParamName;
        if (option is null) return message;
        int suffix = message.IndexOf($" (Parameter '{option}')", StringComparison.Ordinal);
        if (suffix >= 0) message = message[..suffix];
        string parameter = parameterOf(option) ?? option;
        string rule = message.StartsWith(option + " ", StringComparison.Ordinal) ? "it " + message[(option.Length + 1)..]
            : message.StartsWith(option + ": ", StringComparison.Ordinal) ? message[(option.Length + 2)..]   // "Layers: dropout … cannot …"
            : message;
        return $"-{parameter} {Show(value)} is not allowed: {rule}";
    }

    private static string Show(object? value) => value switch
    {
        null => "$null",
        System.Collections.IEnumerable items and not string => string.Join(",", items.Cast<object?>()),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
