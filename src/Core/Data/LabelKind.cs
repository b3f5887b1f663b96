namespace MLNetNN.Data;

/// <summary>What a label column holds, which decides how <see cref="CsvLoader"/> encodes it.</summary>
public enum LabelKind
{
    /// <summary>
    /// Class labels: any strings, mapped to class indices 0..K−1 with <see cref="Dataset.ClassNames"/> holding
    /// the original values.
    /// </summary>
    Classification,

    /// <summary>Numeric targets, stored as read.</summary>
    Regression,
}
