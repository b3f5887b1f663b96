using System.Management.Automation;
using MLNetNN.Data;
using MLNetNN.PowerShell.Data;
using MLNetNN.PowerShell.Output;
using MLNetNN.Serialization;
using MLNetNN.Training;

namespace MLNetNN.PowerShell.Cmdlets;

/// <summary>What every cmdlet of the module shares: paths resolved the PowerShell way, and exceptions turned into error records.</summary>
public abstract class NeuralNetCmdlet : PSCmdlet
{
    /// <summary>
    /// An error record for <paramref name="exception"/>: its category follows the exception's type, so
    /// <c>$Error[0].CategoryInfo</c> says what went wrong, and the message is the engine's sentence rather than a stack trace.
    /// </summary>
    private protected static ErrorRecord ErrorFor(Exception exception, string errorId, object? target, string? recommendedAction = null)
    {
        var record = new ErrorRecord(exception, errorId, CategoryOf(exception), target);
        if (recommendedAction is not null) record.ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = recommendedAction };
        return record;
    }

    private static ErrorCategory CategoryOf(Exception e) => e switch
    {
        RowFormatException or CsvFormatException or ModelFormatException => ErrorCategory.InvalidData,
        ModelFileExistsException => ErrorCategory.ResourceExists,
        FileNotFoundException or DirectoryNotFoundException => ErrorCategory.ObjectNotFound,
        UnauthorizedAccessException => ErrorCategory.PermissionDenied,
        TrainingDivergedException => ErrorCategory.InvalidResult,
        ArgumentException => ErrorCategory.InvalidArgument,
        InvalidOperationException => ErrorCategory.InvalidOperation,
        NotSupportedException => ErrorCategory.NotImplemented,
        IOException => ErrorCategory.WriteError,
        _ => ErrorCategory.NotSpecified,
    };

    /// <summary>The file system path of one existing file; wildcards allowed if they match exactly one file.</summary>
    private protected string ResolveExistingFile(string path)
    {
        var paths = SessionState.Path.GetResolvedProviderPathFromPSPath(path, out ProviderInfo provider);
        if (provider.Name != "FileSystem")
            throw new ArgumentException($"'{path}' is on the {provider.Name} drive; give a file system path.");
        if (paths.Count != 1)
            throw new ArgumentException($"'{path}' matches {paths.Count} files; give exactly one.");
        if (!File.Exists(paths[0])) throw new FileNotFoundException($"'{paths[0]}' is not a file.", paths[0]);
        return paths[0];
    }

    /// <summary>The file system path a new file should be written to (relative to the current PowerShell location, not the process's).</summary>
    private protected string ResolveNewFile(string path) => SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

    /// <summary>Reads a CSV file with the engine's loader (whose errors name the file, line and column).</summary>
    private protected Dataset ReadCsv(string path, string label, LabelKind kind, IReadOnlyList<string>? features, IReadOnlyList<string>? classNames) =>
        CsvLoader.Load(ResolveExistingFile(path), label, kind, new CsvReadOptions { FeatureColumns = features, ClassNames = classNames });

    /// <summary>Reads the rows given as objects into a data set with the model's features and classes.</summary>
    private protected static Dataset ReadRows(IEnumerable<PSObject> rows, string label, NeuralNetModel model)
    {
        var builder = new RowDatasetBuilder(label, model.Model.IsClassifier ? LabelKind.Classification : LabelKind.Regression, model.Features, model.Classes);
        foreach (var row in rows) builder.Add(PSObjectRows.Properties(row));
        return builder.Build();
    }

    /// <summary>The label column for evaluating <paramref name="model"/>: the one given, else the one it was trained on.</summary>
    private protected static string LabelFor(NeuralNetModel model, string? label) =>
        label ?? model.Label ?? throw new ArgumentException("This model was read from a file, which does not record the label column; give it with -Label.");
}
