using System.Management.Automation;
using MLNetNN.PowerShell.Data;
using MLNetNN.PowerShell.Output;

namespace MLNetNN.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Draws a model as an SVG file: its training curves, or for two-feature models its decision regions.</para>
/// </summary>
[Cmdlet(VerbsData.Export, "NeuralNetChart", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportNeuralNetChartCommand : NeuralNetCmdlet
{
    /// <summary>The trained model.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public NeuralNetModel Model { get; set; } = null!;

    /// <summary>The SVG file to write.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = null!;

    /// <summary>What to draw.</summary>
    [Parameter]
    public NeuralNetChartKind Kind { get; set; } = NeuralNetChartKind.TrainingCurves;

    /// <summary>DecisionRegions: the rows to draw over the regions (they also fix the plotted area).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public PSObject[] Data { get; set; } = null!;

    /// <summary>DecisionRegions: the label column of -Data; the model's own when left out.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Label { get; set; } = null!;

    /// <summary>DecisionRegions: grid cells per axis.</summary>
    [Parameter]
    [ValidateRange(10, 1000)]
    public int Resolution { get; set; } = 200;

    /// <summary>Do not overwrite an existing file.</summary>
    [Parameter]
    public SwitchParameter NoClobber { get; set; }

    /// <summary>Write the file's FileInfo to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        string full = ResolveNewFile(Path);
        try
        {
            if (NoClobber && File.Exists(full)) throw new IOException($"The file {full} already exists and -NoClobber was given.");
            // Build (and so check) the chart before asking, so -WhatIf also reports a chart that cannot be drawn.
            Action<string> save = Kind == NeuralNetChartKind.TrainingCurves
                ? NeuralNetCharts.TrainingCurves(Model).Save
                : NeuralNetCharts.DecisionRegions(Model, ReadRows(Data ?? throw new ArgumentException("Decision regions need -Data: the rows to draw over them."),
                    LabelFor(Model, Label), Model), Resolution).Save;
            if (!ShouldProcess(full, $"Write {Kind} chart")) return;
            save(full);   // the engine writes a temporary file and renames it, so no half-written picture is left
        }
        catch (Exception e) when (e is ArgumentException or FormatException or IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            WriteError(ErrorFor(e, "ChartFailed", e is RowFormatException r && Data is not null ? Data[r.Row - 1] : full));
            return;
        }
        if (PassThru) WriteObject(new FileInfo(full));
    }
}
