using System.Management.Automation;
using MLNetNN.PowerShell.Output;

namespace MLNetNN.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Saves a model to a file, in MLNetNN's format or as ONNX; refuses to overwrite one unless -Force is given. Supports -WhatIf and -Confirm.</para>
/// </summary>
[Cmdlet(VerbsData.Save, "NeuralNet", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class SaveNeuralNetCommand : NeuralNetCmdlet
{
    /// <summary>The model to save.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public NeuralNetModel Model { get; set; } = null!;

    /// <summary>The file to write, conventionally *.nn (or *.onnx with -Format Onnx).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = null!;

    /// <summary>Native (MLNetNN's format, read back by Import-NeuralNet) or Onnx; left out, a *.onnx path is written as ONNX and any other as Native.</summary>
    [Parameter]
    public ModelFileFormat? Format { get; set; }

    /// <summary>Overwrite an existing file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Write the saved file's FileInfo to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        string full = ResolveNewFile(Path);
        var format = Format ?? ModelStore.FormatFor(full);
        string what = format == ModelFileFormat.Onnx ? "neural network model as ONNX" : "neural network model";
        if (!ShouldProcess(full, File.Exists(full) ? $"Overwrite {what}" : $"Save {what}")) return;
        try
        {
            ModelStore.Save(Model, full, Force, format);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            WriteError(ErrorFor(e, e is ModelFileExistsException ? "ModelFileExists" : "ModelSaveFailed", full));
            return;
        }
        WriteVerbose($"Saved {Model} to {full}{(format == ModelFileFormat.Onnx ? " as ONNX" : "")}.");
        // The provider's item (what Get-Item returns), so the file shows as Get-ChildItem shows it: Mode, LastWriteTime, Length.
        if (PassThru) WriteObject(InvokeProvider.Item.Get(WildcardPattern.Escape(full)), enumerateCollection: true);
    }
}
