namespace MLNetNN.Initialization;

/// <summary>Draws initial weights from a seeded generator, so a seed fixes the whole starting point.</summary>
public static class WeightInitializer
{
    /// <summary>
    /// Fills <paramref name="weights"/> (fan_in × fan_out) by <paramref name="kind"/>; <paramref name="scale"/> is r for
    /// <see cref="InitializerKind.Uniform"/> and σ for <see cref="InitializerKind.Normal"/>, ignored otherwise.
    /// </summary>
    public static void Fill(Span<float> weights, int fanIn, int fanOut, InitializerKind kind, float scale, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (kind == InitializerKind.Auto) kind = InitializerKind.GlorotUniform;
        if (kind is InitializerKind.Uniform or InitializerKind.Normal && !(scale > 0f && float.IsFinite(scale)))
            throw new ArgumentOutOfRangeException(nameof(scale), scale, $"{kind} initialisation needs a positive, finite scale.");

        switch (kind)
        {
            case InitializerKind.GlorotUniform: FillUniform(weights, MathF.Sqrt(6f / (fanIn + fanOut)), random); break;
            case InitializerKind.GlorotNormal: FillNormal(weights, MathF.Sqrt(2f / (fanIn + fanOut)), random); break;
            case InitializerKind.HeUniform: FillUniform(weights, MathF.Sqrt(6f / fanIn), random); break;
            case InitializerKind.HeNormal: FillNormal(weights, MathF.Sqrt(2f / fanIn), random); break;
            case InitializerKind.Uniform: FillUniform(weights, scale, random); break;
            case InitializerKind.Normal: FillNormal(weights, scale, random); break;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown initialiser.");
        }
    }

    private static void FillUniform(Span<float> weights, float limit, Random random)
    {
        for (int i = 0; i < weights.Length; i++) weights[i] = (float)((random.NextDouble() * 2 - 1) * limit);
    }

    private static void FillNormal(Span<float> weights, float sigma, Random random)
    {
        // Box–Muller: two uniforms give two independent standard normals.
        for (int i = 0; i < weights.Length; i += 2)
        {
            double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
            double radius = Math.Sqrt(-2.0 * Math.Log(u1));
            weights[i] = (float)(sigma * radius * Math.Cos(2 * Math.PI * u2));
            if (i + 1 < weights.Length) weights[i + 1] = (float)(sigma * radius * Math.Sin(2 * Math.PI * u2));
        }
    }
}
