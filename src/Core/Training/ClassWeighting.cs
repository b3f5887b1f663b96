using MLNetNN.Data;

namespace MLNetNN.Training;

/// <summary>
/// Class weights (<see cref="NeuralNetworkOptions.BalancedClassWeights"/>, <see cref="NeuralNetworkOptions.ClassWeights"/>):
/// a weight per class index, resolved once per run, multiplied into each training batch's example weights. Allocates nothing per batch.
/// </summary>
internal static class ClassWeighting
{
    /// <summary>
    /// The weight of each class index under <paramref name="options"/>, or null when the options weigh classes alike. Balanced
    /// weights count the classes in one pass over <paramref name="train"/> (read through <paramref name="batch"/>); rows are
    /// counted, not weighed, as scikit-learn's <c>compute_class_weight</c> counts them.
    /// </summary>
    /// <exception cref="ArgumentException">The map names a class the training data does not have.</exception>
    public static float[]? Resolve(NeuralNetworkOptions options, IReadOnlyList<string> classNames, IBatchSource train, MiniBatch batch)
    {
        if (options.ClassWeights is { } map)
        {
            var weights = new float[classNames.Count];
            Array.Fill(weights, 1f);
            foreach (var (name, weight) in map)
            {
                int c = IndexOf(classNames, name);
                if (c < 0)
                    throw new ArgumentException($"ClassWeights names the class '{name}', which the training data does not have; its classes are {string.Join(", ", classNames.Select(n => $"'{n}'"))}.", nameof(options));
                weights[c] = weight;
            }
            return weights;
        }
        if (!options.BalancedClassWeights) return null;

        var counts = new long[classNames.Count];
        using (var cursor = train.Open(null))
        {
            while (cursor.Next(batch))
                for (int i = 0; i < batch.Rows; i++) counts[(int)batch.Labels[i]]++;
        }
        long rows = counts.Sum();
        // A class without training rows never meets its weight; 1 keeps the array finite.
        return counts.Select(n => n == 0 ? 1f : (float)((double)rows / (classNames.Count * (double)n))).ToArray();
    }

    /// <summary>Multiplies each row's example weight (1 when the batch has none) by its class's weight.</summary>
    public static void Apply(MiniBatch batch, float[] classWeights)
    {
        float[] weights = batch.Weights, labels = batch.Labels;
        if (batch.HasWeights)
            for (int i = 0; i < batch.Rows; i++) weights[i] *= classWeights[(int)labels[i]];
        else
            for (int i = 0; i < batch.Rows; i++) weights[i] = classWeights[(int)labels[i]];
        batch.HasWeights = true;
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++) if (string.Equals(names[i], name, StringComparison.Ordinal)) return i;
        return -1;
    }
}
