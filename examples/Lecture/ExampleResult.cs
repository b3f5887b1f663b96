namespace MLNetNN.Lecture;

/// <summary>One figure an example draws: the file it is saved as, what it shows, and the SVG document itself.</summary>
/// <param name="FileName">File name inside the output folder, e.g. <c>sine-fit.svg</c>.</param>
/// <param name="Caption">One line saying what the figure shows.</param>
/// <param name="Svg">The rendered SVG document.</param>
public sealed record LectureFigure(string FileName, string Caption, string Svg);

/// <summary>
/// What an example computed: its numbers (on the concrete result type, for tests to check) and its figures. The console
/// program prints <see cref="WriteReport"/> and saves <see cref="Figures"/>; the tests read both without touching the disk.
/// </summary>
public abstract class ExampleResult
{
    /// <summary>The figures, in the order the report mentions them.</summary>
    public abstract IReadOnlyList<LectureFigure> Figures { get; }

    /// <summary>Writes the example's numbers as the console shows them.</summary>
    public abstract void WriteReport(TextWriter writer);

    /// <summary>The figure saved as <paramref name="fileName"/>.</summary>
    /// <exception cref="KeyNotFoundException">The example draws no such figure.</exception>
    public LectureFigure Figure(string fileName) =>
        Figures.FirstOrDefault(f => f.FileName == fileName) ?? throw new KeyNotFoundException($"No figure '{fileName}'; this example draws {string.Join(", ", Figures.Select(f => f.FileName))}.");

    /// <summary>Saves every figure into <paramref name="directory"/> (created if missing) and returns their paths.</summary>
    public IReadOnlyList<string> SaveFigures(string directory)
    {
        Directory.CreateDirectory(directory);
        var paths = new List<string>();
        foreach (var figure in Figures)
        {
            string path = Path.Combine(directory, figure.FileName);
            File.WriteAllText(path, figure.Svg);
            paths.Add(path);
        }
        return paths;
    }
}
