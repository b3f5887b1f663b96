using System.Collections;
using System.Globalization;
using MLNetNN.Training;

namespace MLNetNN.PowerShell.Training;

/// <summary>
/// <c>New-NeuralNet -ClassWeight</c>: <c>Balanced</c>, or a hashtable from class label to weight, as engine options. Labels are
/// compared as <c>RowDatasetBuilder</c> turns them into class names (invariant text), so <c>@{ 1 = 5 }</c> names the class "1".
/// </summary>
public static class ClassWeightSetting
{
    /// <summary><paramref name="options"/> with the class weights <paramref name="value"/> describes (null leaves them alike).</summary>
    /// <exception cref="ArgumentException">The value is neither <c>Balanced</c> nor a map, or a weight is not a number (the message names the class).</exception>
    public static NeuralNetworkOptions Apply(NeuralNetworkOptions options, object? value)
    {
        ArgumentNullException.ThrowIfNull(options);
        switch (value)
        {
            case null:
                return options;
            case string text when text.Equals("Balanced", StringComparison.OrdinalIgnoreCase):
                return options with { BalancedClassWeights = true };
            case IDictionary map:
                var weights = new Dictionary<string, float>(StringComparer.Ordinal);
                foreach (DictionaryEntry entry in map)
                {
                    string name = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "";
                    weights[name] = entry.Value switch
                    {
                        string s when float.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out float parsed) => parsed,
                        IConvertible number and not string and not bool => Convert.ToSingle(number, CultureInfo.InvariantCulture),
                        _ => throw new ArgumentException($"ClassWeight: the weight of class '{name}' is '{entry.Value}', not a number.", "ClassWeight"),
                    };
                }
                return options with { ClassWeights = weights };
            default:
                throw new ArgumentException($"ClassWeight is '{value}'; expected Balanced or a hashtable from class label to weight, such as @{{ yes = 5 }}.", "ClassWeight");
        }
    }
}
