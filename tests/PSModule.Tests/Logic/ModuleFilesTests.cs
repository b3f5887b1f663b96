using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace MLNetNN.PowerShell.Tests.Logic;

/// <summary>
/// The shipped module folder, checked without PowerShell: what the manifest exports has help with examples, and every
/// format view names a type the module really outputs.
/// </summary>
public class ModuleFilesTests
{
    private static string ModuleDirectory => Path.Combine(AppContext.BaseDirectory, "MLNetNN");

    private static string[] ListIn(string manifest, string key)
    {
        var block = Regex.Match(manifest, key + @"\s*=\s*@\((?<items>[^)]*)\)").Groups["items"].Value;
        return Regex.Matches(block, "'([^']+)'").Select(m => m.Groups[1].Value).ToArray();
    }

    [Fact]
    public void The_build_output_is_a_module_folder_with_its_dependencies_manifest_formats_help_and_about_topic()
    {
        foreach (string file in new[] { "MLNetNN.psd1", "MLNetNN.PowerShell.dll", "MLNetNN.Core.dll", "System.Numerics.Tensors.dll", "MLNetNN.format.ps1xml", "en-US/MLNetNN.PowerShell.dll-Help.xml", "en-US/about_MLNetNN.help.txt" })
            Assert.True(File.Exists(Path.Combine(ModuleDirectory, file)), $"{file} is missing from the module folder {ModuleDirectory}");
        Assert.False(File.Exists(Path.Combine(ModuleDirectory, "System.Management.Automation.dll")), "the module must use PowerShell's own System.Management.Automation");
    }

    [Fact]
    public void The_manifest_declares_edition_version_and_explicit_exports()
    {
        string manifest = File.ReadAllText(Path.Combine(ModuleDirectory, "MLNetNN.psd1"));
        Assert.Matches(@"RootModule\s*=\s*'MLNetNN.PowerShell.dll'", manifest);
        Assert.Matches(@"CompatiblePSEditions\s*=\s*@\('Core'\)", manifest);
        Assert.Matches(@"PowerShellVersion\s*=\s*'7.4'", manifest);
        Assert.Matches(@"ModuleVersion\s*=\s*'\d+\.\d+\.\d+'", manifest);
        Assert.Equal(["New-NeuralNet", "Invoke-NeuralNetTraining", "Invoke-NeuralNetPrediction", "Measure-NeuralNet", "Save-NeuralNet", "Import-NeuralNet", "Export-NeuralNetChart"],
            ListIn(manifest, "CmdletsToExport"));
        Assert.Equal(["Invoke-Train", "Invoke-Predict"], ListIn(manifest, "AliasesToExport"));
    }

    [Fact]
    public void Every_exported_cmdlet_has_help_with_a_synopsis_a_description_of_each_parameter_and_examples()
    {
        string manifest = File.ReadAllText(Path.Combine(ModuleDirectory, "MLNetNN.psd1"));
        var help = XDocument.Load(Path.Combine(ModuleDirectory, "en-US", "MLNetNN.PowerShell.dll-Help.xml"));
        XNamespace command = "http://schemas.microsoft.com/maml/dev/command/2004/10", maml = "http://schemas.microsoft.com/maml/2004/10";
        var commands = help.Root!.Elements(command + "command").ToDictionary(c => c.Element(command + "details")!.Element(command + "name")!.Value);

        foreach (string cmdlet in ListIn(manifest, "CmdletsToExport"))
        {
            Assert.True(commands.TryGetValue(cmdlet, out var entry), $"{cmdlet} has no help");
            Assert.NotEmpty(entry.Element(command + "details")!.Element(maml + "description")!.Value.Trim());
            Assert.NotEmpty(entry.Element(command + "examples")!.Elements(command + "example"));
            foreach (var parameter in entry.Element(command + "parameters")!.Elements(command + "parameter"))
                Assert.False(string.IsNullOrWhiteSpace(parameter.Element(maml + "description")!.Value), $"{cmdlet} -{parameter.Element(maml + "name")!.Value} has no description");
        }
    }

    [Fact]
    public void Every_format_view_selects_a_type_the_module_outputs()
    {
        var formats = XDocument.Load(Path.Combine(ModuleDirectory, "MLNetNN.format.ps1xml"));
        var assemblies = new[] { typeof(Output.NeuralNetModel).Assembly, typeof(MLNetNN.Models.NeuralNetworkModel).Assembly };
        // Predictions are the caller's own objects with a type name added, so they have no .NET type of their own.
        var typeNames = new[] { "MLNetNN.Prediction", "MLNetNN.RegressionPrediction" };
        foreach (string name in formats.Descendants("TypeName").Select(t => t.Value))
            Assert.True(typeNames.Contains(name) || assemblies.Any(a => a.GetType(name) is not null), $"format view for unknown type {name}");
    }
}
