using MLNetNN.Plotting;
using Xunit;

namespace MLNetNN.Tests.Plotting;

public sealed class SaveTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mlnetnn-plot-" + Guid.NewGuid().ToString("N"));

    public SaveTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static LineChart Chart()
    {
        var chart = new LineChart { Title = "loss" };
        chart.Lines.Add(LineSeries.FromValues("train", [1.0, 0.5]));
        return chart;
    }

    [Fact]
    public void Save_writes_the_svg_and_leaves_no_temporary_file()
    {
        string path = Path.Combine(_dir, "loss.svg");
        Chart().Save(path);
        SvgAssert.Parse(File.ReadAllText(path));
        Assert.Equal(Chart().ToSvg(), File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_dir));
        Assert.NotEqual(0xEF, File.ReadAllBytes(path)[0]);   // no byte-order mark
    }

    [Fact]
    public void Save_replaces_an_existing_file()
    {
        string path = Path.Combine(_dir, "loss.svg");
        File.WriteAllText(path, "old");
        Chart().Save(path);
        Assert.Equal(Chart().ToSvg(), File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_dir));
    }

    [Fact]
    public void Saving_into_a_missing_directory_throws_and_creates_nothing()
    {
        string missing = Path.Combine(_dir, "no-such-dir");
        var e = Assert.Throws<DirectoryNotFoundException>(() => Chart().Save(Path.Combine(missing, "loss.svg")));
        Assert.Contains("does not exist", e.Message);
        Assert.False(Directory.Exists(missing));
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public void A_chart_that_cannot_render_leaves_the_old_file_untouched()
    {
        string path = Path.Combine(_dir, "loss.svg");
        File.WriteAllText(path, "old");
        Assert.Throws<InvalidOperationException>(() => new LineChart().Save(path));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_dir));
    }

    [Fact]
    public void Saving_over_a_directory_fails_and_cleans_up()
    {
        string path = Path.Combine(_dir, "taken");
        Directory.CreateDirectory(path);
        Assert.ThrowsAny<IOException>(() => Chart().Save(path));
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public void Figures_save_the_same_way()
    {
        string path = Path.Combine(_dir, "fig.svg");
        var figure = new Figure(1);
        figure.Panels.Add(Chart());
        figure.Save(path);
        Assert.Equal(figure.ToSvg(), File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_dir));
    }
}
