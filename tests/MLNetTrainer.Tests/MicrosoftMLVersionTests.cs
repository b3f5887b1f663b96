using System.Reflection;
using Microsoft.ML;

namespace MLNetNN.MLNet.Tests;

/// <summary>The suite runs against the Microsoft.ML it was meant to: test.sh runs it on the lowest and the newest supported.</summary>
public sealed class MicrosoftMLVersionTests
{
    [Fact]
    public void The_loaded_Microsoft_ML_is_the_version_this_run_was_built_and_started_for()
    {
        // Microsoft.ML keeps its assembly version at 1.0.0.0; the package version is in the informational version ("6.0.0+sha").
        string loaded = typeof(MLContext).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];
        string referenced = typeof(MicrosoftMLVersionTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "MicrosoftMLVersion").Value!;
        Assert.Equal(referenced, loaded);
        // test.sh names the version it asked for, so a property that stopped reaching the build cannot leave one untested unnoticed.
        if (Environment.GetEnvironmentVariable("MLNETNN_EXPECT_MLNET") is { } expected)
            Assert.Equal(expected, loaded);
    }
}
