using MLNetNN.Lecture;

namespace MLNetNN.Examples.Tests;

/// <summary>A test that needs the Fashion-MNIST files; where they are not installed it is skipped and says how to get them.</summary>
public sealed class FashionMnistFactAttribute : FactAttribute
{
    public FashionMnistFactAttribute()
    {
        if (FashionMnist.Locate() is null)
            Skip = $"Fashion-MNIST is not in {FashionMnist.DebianDirectory}. {FashionMnist.InstallHint}";
    }
}

public class FashionMnistTests
{
    [FashionMnistFact]
    public void A_small_run_learns_and_draws_accuracy_per_epoch_and_the_confusion_matrix()
    {
        var result = FashionMnist.Run(FashionMnist.Locate()!, epochs: 2, trainRows: 2000, testRows: 1000);
        Assert.Equal(2, result.Run.EpochsCompleted);
        Assert.Equal(1000, result.TestRows);
        Assert.True(result.Test.Accuracy >= 0.6, $"test accuracy {result.Test.Accuracy:F3} after 2 epochs on 2,000 images");
        Assert.All(result.Run.History, h => Assert.True(h.Duration > TimeSpan.Zero));

        var accuracy = SvgFigure.Parse(result.Figure("fashion-accuracy.svg"));
        Assert.Equal(["train", "test"], accuracy.SeriesNames);
        Assert.Equal(2, accuracy.PointCount("test"));
        Assert.True(accuracy.Axis('y').Max <= 1.0);

        var confusion = SvgFigure.Parse(result.Figure("fashion-confusion.svg"));
        Assert.Equal((10, 10), confusion.HeatMapSize);
        Assert.Equal(1000, confusion.CellValues.Sum());
        Assert.Contains("Ankle boot", confusion.Texts("tick"));

        var times = SvgFigure.Parse(result.Figure("fashion-epoch-time.svg"));
        Assert.Equal(2, times.PointCount("seconds"));
    }

    [FashionMnistFact]
    public void The_convolutional_network_learns_and_draws_its_curves_and_confusion_matrix()
    {
        var result = FashionMnistCnn.Run(FashionMnist.Locate()!, epochs: 2, trainRows: 2000, testRows: 1000);
        Assert.Equal(2, result.Run.EpochsCompleted);
        Assert.Equal("28x28x1", result.Run.Model.Network.InputShape.ToString());
        Assert.Contains(result.Run.Model.Network.Layers, l => l is MLNetNN.Layers.ConvolutionLayer);
        Assert.True(result.Test.Accuracy >= 0.6, $"test accuracy {result.Test.Accuracy:F3} after 2 epochs on 2,000 images");
        Assert.Contains("conv32x3", result.Network);

        var accuracy = SvgFigure.Parse(result.Figure("fashion-cnn-accuracy.svg"));
        Assert.Equal(["train", "test"], accuracy.SeriesNames);
        Assert.Equal(2, accuracy.PointCount("test"));
        var confusion = SvgFigure.Parse(result.Figure("fashion-cnn-confusion.svg"));
        Assert.Equal(1000, confusion.CellValues.Sum());
        Assert.Equal(2, SvgFigure.Parse(result.Figure("fashion-cnn-epoch-time.svg")).PointCount("seconds"));
    }
}
