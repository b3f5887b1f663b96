using System.Management.Automation;
using MLNetNN.PowerShell.Output;
using MLNetNN.Serialization;

namespace MLNetNN.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Reads models saved by Save-NeuralNet.</para>
/// </summary>
[Cmdlet(VerbsData.Import, "NeuralNet")]
[OutputType(typeof(NeuralNetModel))]
public sealed class ImportNeuralNetCommand : NeuralNetCmdlet
{
    /// <summary>Model files; wildcards allowed. Binds Get-ChildItem output by its path.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = null!;

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        foreach (string path in Path)
        {
            IEnumerable<string> files;
            try
            {
                files = SessionState.Path.GetResolvedProviderPathFromPSPath(path, out _);
            }
            catch (ItemNotFoundException e)
            {
                WriteError(ErrorFor(new FileNotFoundException(e.Message, path), "ModelFileNotFound", path));
                continue;
            }
            foreach (string file in files)
            {
                try
                {
                    WriteObject(ModelStore.Load(file));
                }
                catch (Exception e) when (e is ModelFormatException or IOException or UnauthorizedAccessException)
                {
                    WriteError(ErrorFor(e, e is ModelFormatException ? "InvalidModelFile" : "ModelReadFailed", file));
                }
            }
        }
    }
}
