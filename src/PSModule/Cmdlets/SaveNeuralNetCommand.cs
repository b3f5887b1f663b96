using System.Management.Automation;
using MLNetNN.PowerShell.Output;

namespace MLNetNN.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Saves a model to a file; refuses to overwrite one unless -Force is given. Supports -WhatIf and -Confirm.</para>
/// </summary>
[Cmdlet(VerbsData.Save, "NeuralNet", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class SaveNeuralNetCommand : NeuralNetCmdlet
{
    /// <summary>The model to save.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public NeuralNetModel Model { get; set; } = null!;

    /// <summary>The file to write, conventionally *.nn.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = null!;

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
        if (!ShouldProcess(full, File.Exists(full) ? "Overwrite neural network model" : "Save neural network model")) return;
        try
        {
            ModelStore.Save(Model, full, Force);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            WriteError(ErrorFor(e, e is ModelFileExistsException ? "ModelFileExists" : "ModelSaveFailed", full));
            return;
        }
        WriteVerbose($"Saved {Model} to {full}.");
        if (PassThru) WriteObject(new FileInfo(full));
    }
}
