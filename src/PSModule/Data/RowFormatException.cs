namespace MLNetNN.PowerShell.Data;

/// <summary>
/// A row from the pipeline does not hold what training or prediction needs. The message names the row (1-based, in pipeline
/// order) and the column, e.g. <c>Row 7, column 'PetalWidth': 'abc' is not a number.</c>, so the user can find it with
/// <c>$data[6]</c>.
/// </summary>
public sealed class RowFormatException : FormatException
{
    /// <summary>Creates the exception; the message is composed from the parts.</summary>
    /// <param name="row">1-based row number in pipeline order.</param>
    /// <param name="column">The column's name, or null when the problem concerns the whole row.</param>
    /// <param name="value">The offending value, or null.</param>
    /// <param name="problem">What is wrong and what was expected, as a sentence.</param>
    public RowFormatException(int row, string? column, object? value, string problem)
        : base(column is null ? $"Row {row}: {problem}" : $"Row {row}, column '{column}': {problem}")
    {
        Row = row;
        Column = column;
        Value = value;
    }

    /// <summary>1-based row number in pipeline order.</summary>
    public int Row { get; }

    /// <summary>The offending column, or null when the problem concerns the whole row.</summary>
    public string? Column { get; }

    /// <summary>The offending value, or null.</summary>
    public object? Value { get; }
}
