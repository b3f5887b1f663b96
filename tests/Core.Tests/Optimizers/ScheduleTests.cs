using MLNetNN.Schedules;
using Xunit;

namespace MLNetNN.Tests.Optimizers;

public class ScheduleTests
{
    [Fact]
    public void StepDecayHalvesEveryPeriod()
    {
        var s = new StepDecaySchedule(0.8f, everyEpochs: 10, factor: 0.5f);
        Assert.Equal(0.8f, s.LearningRate(1, 1));
        Assert.Equal(0.8f, s.LearningRate(500, 10));
        Assert.Equal(0.4f, s.LearningRate(501, 11));
        Assert.Equal(0.1f, s.LearningRate(9999, 31));
    }

    [Fact]
    public void InverseScalingIsLearningRateOverTToThePower()
    {
        var s = new InverseScalingSchedule(1f, 0.5f);
        Assert.Equal(1f, s.LearningRate(1, 1));
        Assert.Equal(0.5f, s.LearningRate(4, 1), 6);
        Assert.Equal(0.1f, s.LearningRate(100, 3), 6);
    }

    [Fact]
    public void ReduceOnPlateauCutsTheRateAfterPatienceEpochsWithoutImprovement()
    {
        var s = new ReduceOnPlateauSchedule(1f, factor: 0.1f, patience: 2, minimum: 0.005f);
        s.EpochEnded(1, 1.0);
        s.EpochEnded(2, 0.5);
        Assert.Equal(1f, s.LearningRate(0, 3));
        s.EpochEnded(3, 0.5);
        Assert.Equal(1f, s.LearningRate(0, 4));
        s.EpochEnded(4, 0.51);
        Assert.Equal(0.1f, s.LearningRate(0, 5), 6);
        s.EpochEnded(5, 0.6);
        s.EpochEnded(6, 0.6);
        Assert.Equal(0.01f, s.LearningRate(0, 7), 6);
        s.EpochEnded(7, 0.6);
        s.EpochEnded(8, 0.6);
        Assert.Equal(0.005f, s.LearningRate(0, 9), 6);
    }
}
