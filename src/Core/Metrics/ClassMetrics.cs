namespace MLNetNN.Metrics;

/// <summary>Precision, recall and F1 of one class, treating it as positive and all others as negative.</summary>
/// <param name="ClassName">The class's name.</param>
/// <param name="Precision">TP / (TP + FP): the share of examples predicted as this class that are; 0 when it is never predicted.</param>
/// <param name="Recall">TP / (TP + FN): the share of this class's examples found; 0 when the class never occurs.</param>
/// <param name="F1">2·P·R / (P + R), the harmonic mean of precision and recall; 0 when both are 0.</param>
/// <param name="Support">Number (or total weight) of examples whose true class this is.</param>
public sealed record ClassMetrics(string ClassName, double Precision, double Recall, double F1, double Support);
