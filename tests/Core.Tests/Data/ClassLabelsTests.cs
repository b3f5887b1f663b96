using MLNetNN.Data;
using Xunit;

namespace MLNetNN.Tests.Data;

public class ClassLabelsTests
{
    [Fact]
    public void ClassesAreOrderedNumericallyWhenAllAreNumbersElseOrdinally()
    {
        Assert.Equal(["2", "9", "10"], ClassLabels.Order(["10", "9", "2", "9"]));
        Assert.Equal(["-1", "0.5", "3"], ClassLabels.Order(["3", "0.5", "-1"]));
        Assert.Equal(["B", "a", "b"], ClassLabels.Order(["b", "a", "B"]));
        Assert.Equal(["10", "9", "x"], ClassLabels.Order(["x", "9", "10"]));
    }
}
