using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using MLNetNN.Data;
using MLNetNN.PowerShell.Training;

namespace MLNetNN.PowerShell.Cmdlets;

/// <summary>Completes <c>-Activation</c> with the activations a hidden layer may use, leaving out the ones always refused.</summary>
public sealed class HiddenActivationCompleter : IArgumentCompleter
{
    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completions.Matching(HiddenActivations.Allowed.Select(a => a.ToString()), wordToComplete);
}

/// <summary>Refuses a hidden activation that can never be trained, in New-NeuralNet's words, before any data is read.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateHiddenActivationAttribute : ValidateArgumentsAttribute
{
    /// <inheritdoc/>
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        var name = (arguments is PSObject wrapped ? wrapped.BaseObject : arguments)?.ToString() ?? "";
        if (HiddenActivations.Refusal(name) is { } refusal) throw new ValidationMetadataException(refusal);
    }
}

/// <summary>Completes the layer being typed in <c>-Layers</c> (<c>dense128,dr</c> → <c>dense128,dropout0.5</c>), and an activation after <c>dense128:</c>.</summary>
public sealed class LayerTextCompleter : IArgumentCompleter
{
    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completions.Matching(LayerTokens.Complete(wordToComplete), wordToComplete);
}

/// <summary>Refuses <c>-Layers</c> text the engine cannot read, naming the layer and its position, before any data is read.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateLayersAttribute : ValidateArgumentsAttribute
{
    /// <inheritdoc/>
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        var value = arguments is PSObject wrapped ? wrapped.BaseObject : arguments;
        var parts = value is IEnumerable items and not string ? items.Cast<object?>().Select(i => (i is PSObject p ? p.BaseObject : i)?.ToString() ?? "") : [value?.ToString() ?? ""];
        if (LayerTokens.Refusal(LayerTokens.Join(parts)) is { } refusal) throw new ValidationMetadataException(refusal);
    }
}

/// <summary>
/// Completes <c>-Label</c> and <c>-Feature</c> with the column names in the header of the file given to <c>-Path</c>, or of
/// the file a preceding <c>Import-Csv</c> in the pipeline reads.
/// </summary>
public sealed class CsvColumnCompleter(string currentFolder) : IArgumentCompleter
{
    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string? path = fakeBoundParameters?["Path"] as string ?? ImportCsvPathBefore(commandAst);
        if (string.IsNullOrEmpty(path)) return [];
        try
        {
            return Completions.Matching(CsvLoader.ReadHeader(System.IO.Path.GetFullPath(path, currentFolder)), wordToComplete);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentException or NotSupportedException)
        {
            return [];   // no file, or not a CSV file: nothing to offer, as for any parameter without completions
        }
    }

    /// <summary>The literal path of an <c>Import-Csv</c> (by -Path, -LiteralPath or position) piped into the command, if any.</summary>
    private static string? ImportCsvPathBefore(CommandAst command)
    {
        if (command?.Parent is not PipelineAst pipeline) return null;
        int index = pipeline.PipelineElements.IndexOf(command);
        if (index < 1 || pipeline.PipelineElements[index - 1] is not CommandAst source) return null;
        if (source.GetCommandName() is not ("Import-Csv" or "ipcsv")) return null;
        var elements = source.CommandElements;
        for (int i = 1; i < elements.Count; i++)
        {
            if (elements[i] is CommandParameterAst parameter)
            {
                if (parameter.ParameterName is "Path" or "LiteralPath" && i + 1 < elements.Count && elements[i + 1] is StringConstantExpressionAst named) return named.Value;
                i++;   // the parameter's value, if it has one, is not the positional path
                continue;
            }
            if (elements[i] is StringConstantExpressionAst positional) return positional.Value;
        }
        return null;
    }
}

/// <summary>
/// Registers the completers when the module is imported. They are registered as PowerShell's own
/// <c>Register-ArgumentCompleter</c> does, because a completer named on a compiled cmdlet's parameter (the
/// <c>[ArgumentCompleter]</c> attribute) is passed over here for an enum's own values and for file names.
/// </summary>
public sealed class CompleterRegistration : IModuleAssemblyInitializer
{
    /// <inheritdoc/>
    public void OnImport()
    {
        // A relative -Path is relative to PowerShell's location, which only the session knows: the script block passes it in.
        const string Location = "$ExecutionContext.SessionState.Path.CurrentFileSystemLocation.ProviderPath";
        Register<HiddenActivationCompleter>(["New-NeuralNet"], "Activation", "");
        Register<LayerTextCompleter>(["New-NeuralNet"], "Layers", "");
        Register<CsvColumnCompleter>(["Invoke-NeuralNetTraining", "Invoke-Train"], "Label", Location);
        Register<CsvColumnCompleter>(["Invoke-NeuralNetTraining", "Invoke-Train"], "Feature", Location);
        Register<CsvColumnCompleter>(["Measure-NeuralNet"], "Label", Location);
    }

    private static void Register<TCompleter>(string[] commands, string parameter, string constructorArguments) where TCompleter : IArgumentCompleter
    {
        if (Runspace.DefaultRunspace is null) return;   // loaded outside a session (e.g. by a test host): nothing to complete in
        var completer = ScriptBlock.Create(
            $"param($command, $parameter, $word, $ast, $bound) [{typeof(TCompleter).FullName}]::new({constructorArguments}).CompleteArgument($command, $parameter, $word, $ast, $bound)");
        using var ps = System.Management.Automation.PowerShell.Create(RunspaceMode.CurrentRunspace);
        ps.AddCommand(@"Microsoft.PowerShell.Core\Register-ArgumentCompleter")
            .AddParameter("CommandName", commands).AddParameter("ParameterName", parameter).AddParameter("ScriptBlock", completer)
            .Invoke();
    }
}

/// <summary>Turns candidate values into completion results.</summary>
internal static class Completions
{
    /// <summary>The values that start with what has been typed (quotes ignored), quoted when they hold spaces or quotes.</summary>
    public static IEnumerable<CompletionResult> Matching(IEnumerable<string> values, string wordToComplete)
    {
        string typed = (wordToComplete ?? "").Trim('\'', '"');
        return values
            .Where(v => v.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .Select(v => new CompletionResult(Quote(v), v, CompletionResultType.ParameterValue, v))
            .ToArray();
    }

    private static string Quote(string value) =>
        value.Length > 0 && value.All(c => char.IsLetterOrDigit(c) || c is '_' or '-' or '.') ? value : "'" + value.Replace("'", "''") + "'";
}
