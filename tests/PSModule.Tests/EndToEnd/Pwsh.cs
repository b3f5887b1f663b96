using System.Diagnostics;
using System.Text;

namespace MLNetNN.PowerShell.Tests.EndToEnd;

/// <summary>A test that needs pwsh; without it on PATH it reports itself skipped with the reason, rather than passing silently.</summary>
public sealed class PwshFactAttribute : FactAttribute
{
    public PwshFactAttribute()
    {
        if (Pwsh.Executable is null) Skip = "pwsh (PowerShell 7.4+) is not on PATH; the module's end-to-end sessions were not run (its logic is tested without it).";
    }
}

/// <summary>Runs the end-to-end scripts in a fresh pwsh against the module folder exactly as the build laid it out.</summary>
internal static class Pwsh
{
    public static string? Executable { get; } = Find();

    public static string ModuleManifest => Path.Combine(AppContext.BaseDirectory, "MLNetNN", "MLNetNN.psd1");

    /// <summary>
    /// Runs EndToEnd/<paramref name="script"/> with -Module, -Data (the examples' data folder copy) and -Work (a fresh folder)
    /// and returns its output; a non-zero exit fails the test with everything the script printed.
    /// </summary>
    public static string Run(string script, TimeSpan? timeout = null)
    {
        string work = Path.Combine(Path.GetTempPath(), "mlnetnn-e2e-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            var start = new ProcessStartInfo(Executable!)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = work,
            };
            foreach (string arg in new[] { "-NoProfile", "-NonInteractive", "-File", Path.Combine(AppContext.BaseDirectory, "EndToEnd", script),
                         "-Module", ModuleManifest, "-Data", Path.Combine(AppContext.BaseDirectory, "data"), "-Work", work })
                start.ArgumentList.Add(arg);
            using var process = Process.Start(start)!;
            var output = new StringBuilder();
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine("stderr: " + e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(5)))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"{script} did not finish in time. Output so far:\n{output}");
            }
            process.WaitForExit();
            string text;
            lock (output) text = output.ToString();
            Assert.True(process.ExitCode == 0, $"{script} failed (exit code {process.ExitCode}):\n{text}");
            return text;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static string? Find()
    {
        string name = OperatingSystem.IsWindows() ? "pwsh.exe" : "pwsh";
        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
    }
}
