using System.Diagnostics;

namespace MLNetNN.Examples.Tests;

/// <summary>The console program as a user runs it: exit codes, messages and the files it writes.</summary>
public class ProgramTests
{
    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        // The SDK tells test runs which dotnet host started them; the Lecture program is copied next to the tests.
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "MLNetNN.Lecture.dll"));
        foreach (string arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), "the program did not finish within a minute");
        return (process.ExitCode, output, error.Result);
    }

    [Fact]
    public void Fashion_without_the_data_says_how_to_install_it_and_exits_with_code_zero()
    {
        var folder = Directory.CreateTempSubdirectory("lecture-no-data");
        try
        {
            var (exitCode, output, _) = Run("fashion", "--data", folder.FullName, "--out", Path.Combine(folder.FullName, "figures"));
            Assert.Equal(0, exitCode);
            Assert.Contains("apt-get install dataset-fashion-mnist", output);
            Assert.False(Directory.Exists(Path.Combine(folder.FullName, "figures")), "no figures without data");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void An_example_writes_its_figures_into_the_out_folder()
    {
        var folder = Directory.CreateTempSubdirectory("lecture-out");
        try
        {
            string output = Path.Combine(folder.FullName, "figures");
            var (exitCode, text, _) = Run("activations", "--out", output);
            Assert.Equal(0, exitCode);
            Assert.Contains("Sigmoid", text);
            Assert.Equal(["activations-overview.svg", "activations.svg"], Directory.GetFiles(output).Select(Path.GetFileName).Order());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void An_unknown_example_is_refused_with_the_usage_and_code_two()
    {
        var (exitCode, _, error) = Run("perceptrons");
        Assert.Equal(2, exitCode);
        Assert.Contains("Unknown example 'perceptrons'", error);
        Assert.Contains("gridsearch", error);
    }
}
