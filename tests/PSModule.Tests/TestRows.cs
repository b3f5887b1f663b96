using System.Globalization;

namespace MLNetNN.PowerShell.Tests;

/// <summary>Rows as PowerShell hands them to the module: Import-Csv's all-text property bags, or typed ones.</summary>
internal static class TestRows
{
    public static string IrisPath => Path.Combine(AppContext.BaseDirectory, "data", "iris.csv");

    /// <summary>iris.csv as Import-Csv reads it: every value a string, properties in header order.</summary>
    public static List<KeyValuePair<string, object?>[]> Iris()
    {
        var lines = File.ReadAllLines(IrisPath).Where(l => l.Length > 0).ToArray();
        var header = lines[0].Split(',');
        return lines.Skip(1).Select(l => l.Split(',').Select((v, i) => new KeyValuePair<string, object?>(header[i], v)).ToArray()).ToList();
    }

    public static KeyValuePair<string, object?>[] Row(params (string Name, object? Value)[] values) =>
        values.Select(v => new KeyValuePair<string, object?>(v.Name, v.Value)).ToArray();

    /// <summary>Two well-separated blobs in two features, labelled "a" and "b".</summary>
    public static List<KeyValuePair<string, object?>[]> Blobs(int perClass = 40, int seed = 1)
    {
        var random = new Random(seed);
        var rows = new List<KeyValuePair<string, object?>[]>();
        for (int i = 0; i < 2 * perClass; i++)
        {
            double centre = i % 2 == 0 ? -2 : 2;
            rows.Add(Row(("X", centre + random.NextDouble() - 0.5), ("Y", centre + random.NextDouble() - 0.5), ("Class", i % 2 == 0 ? "a" : "b")));
        }
        return rows;
    }

    /// <summary>Runs <paramref name="action"/> with another current culture, to prove parsing does not depend on it.</summary>
    public static void InCulture(string name, Action action)
    {
        var saved = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(name);
        try { action(); }
        finally { CultureInfo.CurrentCulture = saved; }
    }
}
