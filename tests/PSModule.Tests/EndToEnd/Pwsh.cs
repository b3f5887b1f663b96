using System.Diagnostics;
using System.Text;

namespace MLNetNN.PowerShell.Tests.EndToEnd;

/// <summary>A test that needs PowerShell; where none can be started it reports itself skipped with the reason, rather than passing silently.</summary>
public sealed class PwshFactAttribute : FactAttribute
{
    public PwshFactAttribute()
    {
        if (Pwsh.Command is null)
            Skip = "PowerShell could not be started: the repository's pinned local tool is not restored (run `dotnet tool restore`; ./test.sh does) " +
                   "and pwsh (7.4+) is not on PATH; the module's end-to-end sessions were not run (its logic is tested without it).";
    }
}

/// <summary>How to start PowerShell: a program, the arguments before pwsh's own, and the folder to start it in.</summary>
/// <param name="FileName">The program: `dotnet` for the local tool, or pwsh itself.</param>
/// <param name="Prefix">Arguments before pwsh's own (`tool run pwsh` for the local tool).</param>
/// <param name="Directory">Where to start it: the local tool is found from the tool manifest above this folder.</param>
internal sealed record PwshCommand(string FileName, IReadOnlyList<string> Prefix, string? Directory);

/// <summary>Runs the end-to-end scripts in a fresh pwsh against the module folder exactly as the build laid it out.</summary>
internal static class Pwsh
{
    /// <summary>
    /// The repository's local tool first (.config/dotnet-tools.json pins the PowerShell that CI runs, and `dotnet tool restore`
    /// installs it without touching PATH), else pwsh on PATH; null when neither starts.
    /// </summary>
    public static PwshCommand? Command { get; } = Find();

    public static string ModuleManifest => Path.Combine(AppContext.BaseDirectory, "MLNetNN", "MLNetNN.psd1");

    /// <summary>
    /// Runs EndToEnd/<paramref name="script"/> with -Module, -Data (the examples' data folder copy) and -Work (a fresh folder,
    /// also its working directory) and returns its output; a non-zero exit fails the test with everything the script printed.
    /// </summary>
    public static string Run(string script, TimeSpan? timeout = null)
    {
        string work = Path.Combine(Path.GetTempPath(), "mlnetnn-e2e-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            var (exitCode, text) = Start(Command!, timeout ?? TimeSpan.FromMinutes(5), "-NoProfile", "-NonInteractive", "-WorkingDirectory", work,
                "-File", Path.Combine(AppContext.BaseDirectory, "EndToEnd", script),
                "-Module", ModuleManifest, "-Data", Path.Combine(AppContext.BaseDirectory, "data"), "-Work", work);
            Assert.True(exitCode == 0, $"{script} failed (exit code {exitCode}):\n{text}");
            return text;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Runs <paramref name="command"/> with <paramref name="arguments"/>; its exit code and all it printed (stderr lines marked).</summary>
    private static (int ExitCode, string Output) Start(PwshCommand command, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo(command.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = command.Directory ?? Environment.CurrentDirectory,
        };
        foreach (string arg in command.Prefix.Concat(arguments)) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine("stderr: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            lock (output) Assert.Fail($"{string.Join(' ', arguments)} did not finish in time. Output so far:\n{output}");
        }
        process.WaitForExit();
        lock (output) return (process.ExitCode, output.ToString());
    }

    private static PwshCommand? Find()
    {
        if (FindToolManifestDirectory() is { } repository)
        {
            var tool = new PwshCommand("dotnet", ["tool", "run", "pwsh"], repository);
            // `dotnet tool run` fails when the manifest's tools are not restored yet: then it is not there to use.
            try
            {
                if (Start(tool, TimeSpan.FromMinutes(1), "-NoProfile", "-NonInteractive", "-Command", "exit 0").ExitCode == 0) return tool;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // No dotnet on PATH (a test host started some other way): fall through to pwsh on PATH.
            }
        }
        string name = OperatingSystem.IsWindows() ? "pwsh.exe" : "pwsh";
        string? onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
        return onPath is null ? null : new PwshCommand(onPath, [], null);
    }

    /// <summary>The nearest folder above the tests whose .config/dotnet-tools.json names the pwsh command: the repository root.</summary>
    private static string? FindToolManifestDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string manifest = Path.Combine(dir.FullName, ".config", "dotnet-tools.json");
            if (File.Exists(manifest) && File.ReadAllText(manifest).Contains("\"pwsh\"", StringComparison.Ordinal)) return dir.FullName;
        }
        return null;
    }
}
