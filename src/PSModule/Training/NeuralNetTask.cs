using MLNetNN.Data;
using MLNetNN.Training;

namespace MLNetNN.PowerShell.Training;

/// <summary>What a network predicts, in the words a PowerShell user types (<c>-Task Multiclass</c>); tab-completes as an enum.</summary>
public enum NeuralNetTask
{
    /// <summary>Classification, decided by the data: two classes make a binary network, more a multiclass one.</summary>
    Auto,
    /// <summary>Two classes: one sigmoid output, binary cross-entropy.</summary>
    Binary,
    /// <summary>Two or more classes: softmax outputs, categorical cross-entropy.</summary>
    Multiclass,
    /// <summary>Numeric targets: identity output, mean squared error.</summary>
    Regression,
}

/// <summary>Conversions between <see cref="NeuralNetTask"/> and the engine's <see cref="TaskKind"/>.</summary>
public static class NeuralNetTasks
{
    /// <summary>How the label column must be read for the task.</summary>
    public static LabelKind LabelKind(this NeuralNetTask task) => task == NeuralNetTask.Regression ? MLNetNN.Data.LabelKind.Regression : MLNetNN.Data.LabelKind.Classification;

    /// <summary>The engine's task; <see cref="NeuralNetTask.Auto"/> becomes binary for two classes and multiclass otherwise.</summary>
    public static TaskKind Resolve(this NeuralNetTask task, int classCount) => task switch
    {
        NeuralNetTask.Binary => TaskKind.BinaryClassification,
        NeuralNetTask.Multiclass => TaskKind.MulticlassClassification,
        NeuralNetTask.Regression => TaskKind.Regression,
        _ => classCount == 2 ? TaskKind.BinaryClassification : TaskKind.MulticlassClassification,
    };

    /// <summary>The PowerShell name of an engine task.</summary>
    public static NeuralNetTask FromKind(TaskKind kind) => kind switch
    {
        TaskKind.BinaryClassification => NeuralNetTask.Binary,
        TaskKind.MulticlassClassification => NeuralNetTask.Multiclass,
        _ => NeuralNetTask.Regression,
    };
}
