using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Pipeline;

/// <summary>
/// <c>gdsweeps init</c>'s starter: a commented config that validates as written and whose rates bracket lr_crit.
/// </summary>
[TestClass]
public sealed class StarterTests
{
    private static string Csv(string folder, string text)
    {
        var path = Path.Combine(folder, "data", "houses.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [TestMethod]
    public void The_default_starter_validates_brackets_every_lr_crit_and_is_named_after_its_file()
    {
        var work = Some.TempDir();

        var path = Starter.Write(Path.Combine(work, "first"), null);

        Assert.AreEqual(Path.Combine(work, "first.yaml"), path);
        var plan = SweepPlan.Load(path);
        Assert.AreEqual("first", plan.Name);
        Assert.IsEmpty(Describe.Warnings(plan).ToList());
        Assert.AreEqual(2, plan.Config.Get(SweepAxes.Datasets).Count);
        Assert.AreEqual(0.01, plan.Config.Refine);
    }

    [TestMethod]
    public void Every_key_of_the_starter_but_the_dataset_lines_says_what_it_does()
    {
        var path = Starter.Write(Path.Combine(Some.TempDir(), "study"), null);

        var keyed = File.ReadAllLines(path).Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith(' ') && !l.EndsWith(':')).ToList();

        Assert.IsNotEmpty(keyed);
        foreach (var line in keyed)
        {
            StringAssert.Contains(line, " # ", line);
        }
    }

    [TestMethod]
    public void With_a_csv_the_dataset_names_its_columns_and_its_path_from_the_configs_folder()
    {
        var work = Some.TempDir();
        var csv = Csv(work, "area,rooms,price\n50,2,100\n80,3,170\n120,4,240\n65,2,140\n");
        Directory.CreateDirectory(Path.Combine(work, "studies"));

        var path = Starter.Write(Path.Combine(work, "studies", "houses"), new Starter.CsvSource(csv, ["area", "rooms"], "price"));

        var text = File.ReadAllText(path);
        StringAssert.Contains(text, "    csv: ../data/houses.csv ");
        StringAssert.Contains(text, "    x: [area, rooms] ");
        StringAssert.Contains(text, "    y: price ");
        StringAssert.Contains(text, "    missing: error ");
        var plan = SweepPlan.Load(path);
        var dataset = plan.Config.Get(SweepAxes.Datasets)[0];
        Assert.AreEqual((4, 2), (dataset.Count, dataset.Features));
        Assert.IsEmpty(Describe.Warnings(plan).ToList());
    }

    [TestMethod]
    public void A_csv_with_missing_cells_is_written_to_drop_their_rows()
    {
        var work = Some.TempDir();
        var csv = Csv(work, "area,price\n50,100\nNA,170\n120,240\n65,\n");

        var path = Starter.Write(Path.Combine(work, "study"), new Starter.CsvSource(csv, ["area"], "price"));

        StringAssert.Contains(File.ReadAllText(path), "    missing: drop ");
        Assert.AreEqual(2, SweepPlan.Load(path).Config.Get(SweepAxes.Datasets)[0].Count);
    }

    [TestMethod]
    public void Column_names_yaml_would_misread_are_quoted_and_read_back_as_written()
    {
        var work = Some.TempDir();
        var csv = Csv(work, "none,price ($),y: z\n1,2,3\n2,4,5\n3,7,8\n");

        var path = Starter.Write(Path.Combine(work, "study"), new Starter.CsvSource(csv, ["none", "y: z"], "price ($)"));

        StringAssert.Contains(File.ReadAllText(path), "    x: ['none', 'y: z'] ");
        Assert.AreEqual(2, SweepPlan.Load(path).Config.Get(SweepAxes.Datasets)[0].Features);
    }

    [TestMethod]
    public void A_column_not_in_the_header_is_refused_naming_the_header_and_nothing_is_written()
    {
        var work = Some.TempDir();
        var csv = Csv(work, "area,price\n50,100\n80,170\n");

        var e = Assert.ThrowsExactly<Starter.StarterException>(() => Starter.Write(Path.Combine(work, "study"), new Starter.CsvSource(csv, ["size"], "price")));

        StringAssert.Contains(e.Message, "size: no column 'size'; the header has: area, price");
        Assert.IsFalse(File.Exists(Path.Combine(work, "study.yaml")));
    }

    [TestMethod]
    public void An_existing_file_is_never_overwritten()
    {
        var work = Some.TempDir();
        var path = Path.Combine(work, "study.yaml");
        File.WriteAllText(path, "mine");

        var e = Assert.ThrowsExactly<Starter.StarterException>(() => Starter.Write(Path.Combine(work, "study"), null));

        StringAssert.Contains(e.Message, "already exists; init never overwrites a file");
        Assert.AreEqual("mine", File.ReadAllText(path));
    }

    [TestMethod]
    public void A_name_that_cannot_name_a_results_folder_is_refused()
    {
        var e = Assert.ThrowsExactly<Starter.StarterException>(() => Starter.Write(Path.Combine(Some.TempDir(), ".hidden"), null));

        StringAssert.Contains(e.Message, "'.hidden' cannot name a sweep");
    }
}
