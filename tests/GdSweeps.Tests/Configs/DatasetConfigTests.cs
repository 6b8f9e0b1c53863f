using GdSweeps.Configs;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Configs;

[TestClass]
public sealed class DatasetConfigTests
{
    private static string Folder(string csv)
    {
        var dir = Some.TempDir();
        Directory.CreateDirectory(Path.Combine(dir, "data"));
        File.WriteAllText(Path.Combine(dir, "data", "d.csv"), csv);
        return dir;
    }

    private static string Config(string dataset) => $"""
        datasets:
          - {dataset}
        transforms: none
        learning_rates: 0.01
        """;

    [TestMethod]
    public void A_csv_path_is_relative_to_the_config_file()
    {
        var dir = Folder("a,b,y\n1,2,3\n4,5,6\n");

        var config = SweepPlan.Parse(Config("{name: d, csv: data/d.csv, x: [a, b], y: y}"), Path.Combine(dir, "study.yaml"));

        Assert.AreEqual(2, config.Datasets[0].Features);
        CollectionAssert.AreEqual(new[] { 3.0, 6 }, config.Datasets[0].Y);
    }

    [TestMethod]
    public void A_missing_csv_file_is_an_error_at_its_key()
    {
        var dir = Some.TempDir();

        var e = Assert.ThrowsExactly<ConfigException>(() => SweepPlan.Parse(Config("{name: d, csv: nope.csv, x: a, y: y}"), Path.Combine(dir, "study.yaml")));

        Assert.AreEqual("datasets[0].csv", e.Errors[0].Key);
        StringAssert.Contains(e.Errors[0].Message, "'nope.csv' does not exist");
    }

    [TestMethod]
    public void A_bad_csv_cell_is_reported_in_the_csv_file_with_the_config_errors()
    {
        var dir = Folder("a,y\n1,2\nx,4\n");

        var e = Assert.ThrowsExactly<ConfigException>(() => SweepPlan.Parse(Config("{name: d, csv: data/d.csv, x: a, y: y}") + "\nsteps: 0", Path.Combine(dir, "study.yaml")));

        Assert.HasCount(2, e.Errors);
        Assert.IsTrue(e.Errors.Any(err => err.File.EndsWith("d.csv", StringComparison.Ordinal) && err.Line == 3 && err.Column == 1 && err.Key == "a"));
        Assert.IsTrue(e.Errors.Any(err => err.Key == "steps"));
    }

    [TestMethod]
    public void A_generated_dataset_with_several_scales_makes_one_dataset_per_scale()
    {
        var config = Some.Config(Config("{name: g, generate: {x: {linspace: {from: 1, to: 2, count: 3}}, a: 2, scale: [1, 100]}}"));

        CollectionAssert.AreEqual(new[] { "g[scale=1]", "g[scale=100]" }, config.Datasets.Select(d => d.Name).ToArray());
        CollectionAssert.AreEqual(new[] { 100.0, 150, 200 }, config.Datasets[1].X);
        CollectionAssert.AreEqual(new[] { 200.0, 300, 400 }, config.Datasets[1].Y);
    }

    [TestMethod]
    public void Inline_rows_make_a_multi_feature_dataset()
    {
        var config = Some.Config(Config("{name: m, x: [[1, 10], [2, 20], [3, 35]], y: [1, 2, 3]}"));

        Assert.AreEqual(2, config.Datasets[0].Features);
        Assert.AreEqual(3, config.Datasets[0].Count);
    }

    [TestMethod]
    public void A_per_feature_start_must_match_the_number_of_features()
    {
        var e = Assert.ThrowsExactly<ConfigException>(() => Some.Config(Config("{name: m, x: [[1, 10], [2, 20]], y: [1, 2]}") + "\nw0: [[1, 2, 3]]"));

        StringAssert.Contains(e.Errors[0].Message, "has 3 values but dataset 'm' has 2 features");
    }

    [TestMethod]
    public void A_dataset_with_two_sources_is_an_error()
    {
        var e = Assert.ThrowsExactly<ConfigException>(() => Some.Config(Config("{name: d, csv: a.csv, generate: {x: [1]}, x: a, y: b}")));

        StringAssert.Contains(e.Errors[0].Message, "one source");
    }

    [TestMethod]
    public void The_example_csv_config_drops_the_rows_with_missing_values()
    {
        var config = SweepPlan.Load(Path.Combine(Some.RepoRoot, "configs", "houses.yaml"));

        Assert.AreEqual(60 - 4, config.Datasets[0].Count);
    }

    [TestMethod]
    public void Errors_about_a_csv_file_outside_the_config_folder_do_not_quote_it()
    {
        var dir = Some.TempDir();
        File.WriteAllText(Path.Combine(dir, "private.csv"), "secret,hidden,y\nhunter2,1,2\n");
        var study = Path.Combine(dir, "study", "study.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(study)!);
        File.CreateSymbolicLink(Path.Combine(dir, "study", "link.csv"), Path.Combine(dir, "private.csv"));

        var errors = new[] { "../private.csv", "link.csv" }.SelectMany(file => new[] { "area", "secret" }.SelectMany(x =>
            Assert.ThrowsExactly<ConfigException>(() => SweepPlan.Parse(Config($"{{name: d, csv: {file}, x: {x}, y: y}}"), study)).Errors)).ToList();

        CollectionAssert.AreEqual(new[] { "no column 'area' in the header", "not a finite number", "no column 'area' in the header", "not a finite number" },
            errors.Select(e => e.Message).ToArray());
        Assert.IsFalse(errors.Any(e => e.ToString().Contains("hunter2", StringComparison.Ordinal) || e.ToString().Contains("hidden", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void Errors_about_a_csv_file_in_the_config_folder_quote_it()
    {
        var dir = Folder("a,y\n1,2\nx,4\n");

        var e = Assert.ThrowsExactly<ConfigException>(() => SweepPlan.Parse(Config("{name: d, csv: data/d.csv, x: b, y: y}"), Path.Combine(dir, "study.yaml")));

        Assert.AreEqual("no column 'b'; the header has: a, y", e.Errors.Single().Message);
    }

    [TestMethod]
    [DataRow("/dev/zero")]
    [DataRow("/dev/null")]
    public void A_device_as_a_csv_file_is_an_error_at_its_key(string device)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var e = Assert.ThrowsExactly<ConfigException>(() => SweepPlan.Parse(Config($"{{name: d, csv: {device}, x: a, y: y}}"), Path.Combine(Some.TempDir(), "study.yaml")));

        Assert.AreEqual($"study.yaml:2:20: datasets[0].csv: file '{device}': not a regular file (a FIFO, a device or a socket); a CSV dataset must be a file",
            e.Errors.Single().ToString()[(e.Errors[0].File.Length - "study.yaml".Length)..]);
        Assert.IsLessThan(TimeSpan.FromSeconds(1), clock.Elapsed);
    }

    [TestMethod]
    public void A_csv_file_over_max_csv_mb_is_an_error_at_its_key_naming_the_setting()
    {
        var dir = Folder("a,y\n" + string.Concat(Enumerable.Repeat("1,2\n", 600_000)));
        var yaml = Config("{name: d, csv: data/d.csv, x: a, y: y}");

        var e = Assert.ThrowsExactly<ConfigException>(() => SweepPlan.Parse(yaml + "\nmax_csv_mb: 2", Path.Combine(dir, "study.yaml")));
        var config = SweepPlan.Parse(yaml + "\nmax_csv_mb: 3", Path.Combine(dir, "study.yaml")).Config;

        Assert.AreEqual("datasets[0].csv", e.Errors.Single().Key);
        Assert.AreEqual("file 'data/d.csv': the file has 2.3 MiB, over the size limit of 2 MiB (max_csv_mb sets the limit)", e.Errors[0].Message);
        Assert.AreEqual(3, config.MaxCsvMb);
        Assert.AreEqual(600_000, config.Get(SweepAxes.Datasets)[0].Count);
    }

    [TestMethod]
    [DataRow("max_csv_mb: 0", "out of range")]
    [DataRow("max_csv_mb: -5", "out of range")]
    [DataRow("max_csv_mb: 1.5", "expected an integer")]
    [DataRow("max_csv_mb: lots", "expected an integer")]
    public void A_bad_max_csv_mb_is_an_error_at_its_key(string line, string message)
    {
        var e = Assert.ThrowsExactly<ConfigException>(() => Some.Config(Config("{name: d, x: [1, 2], y: [2, 4]}") + "\n" + line));

        Assert.AreEqual("max_csv_mb", e.Errors.Single().Key);
        StringAssert.Contains(e.Errors[0].Message, message);
    }

    [TestMethod]
    public void Reading_a_config_stops_when_cancelled()
    {
        var dir = Folder("a,y\n1,2\n");
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();

        Assert.ThrowsExactly<OperationCanceledException>(() => SweepPlan.Parse(Config("{name: d, csv: data/d.csv, x: a, y: y}"), Path.Combine(dir, "study.yaml"), cancel.Token));
    }
}
