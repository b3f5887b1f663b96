namespace MLNetNN.Data;

/// <summary>
/// A delimited text file does not hold what <see cref="CsvLoader"/> expects. The message names the source,
/// the 1-based line, the column and the offending value, e.g.
/// <c>iris.csv, line 7, column 'PetalWidth': 'abc' is not a number.</c>
/// </summary>
public sealed class CsvFormatException : FormatException
{
    /// <summary>Creates the exception; the message is composed from the parts.</summary>
    /// <param name="sourceName">The file path or other name of the source.</param>
    /// <param name="line">1-based line number, or 0 when the problem concerns the whole source.</param>
    /// <param name="column">The column's name, or null when the problem concerns a whole line.</param>
    /// <param name="value">The offending text, or null.</param>
    /// <param name="problem">
    /// What is wrong and what was expected, as a sentence; values quoted in it should be cut with <see cref="Excerpt"/>.
    /// </param>
    /// <param name="innerException">The error that revealed the problem, e.g. a decoder's, or null.</param>
    public CsvFormatException(string sourceName, int line, string? column, string? value, string problem, Exception? innerException = null)
        : base(Compose(sourceName, line, column, problem), innerException)
    {
        SourceName = sourceName;
        Line = line;
        Column = column;
        Value = value;
    }

    /// <summary>
    /// The file path or the name given for a reader. (Named so because <see cref="Exception.Source"/> already
    /// means the throwing assembly.)
    /// </summary>
    public string SourceName { get; }

    /// <summary>1-based line number where the offending record starts, or 0 when the problem concerns the whole source.</summary>
    public int Line { get; }

    /// <summary>The name of the offending column, or null when the problem concerns a whole line or the whole source.</summary>
    public string? Column { get; }

    /// <summary>The offending text, whole (the message shows at most its start), or null.</summary>
    public string? Value { get; }

    /// <summary>
    /// <paramref name="text"/> for a message: whole when short, otherwise its first <paramref name="maxChars"/> characters and
    /// its length, so a 10 MB field does not make a 10 MB message.
    /// </summary>
    internal static string Excerpt(string text, int maxChars = 64)
    {
        if (text.Length <= maxChars) return text;
        int keep = char.IsHighSurrogate(text[maxChars - 1]) ? maxChars - 1 : maxChars;
        return $"{text[..keep]}…({text.Length} chars)";
    }

    private static string Compose(string sourceName, int line, string? column, string problem)
    {
        string where = line > 0 ? $"{sourceName}, line {line}" : sourceName;
        if (column is not null) where += $", column '{Excerpt(column)}'";
        return $"{where}: {problem}";
    }
}
