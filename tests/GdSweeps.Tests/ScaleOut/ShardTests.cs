using GdSweeps.Grid;
using GdSweeps.Results;
using GdSweeps.Running;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.ScaleOut;

[TestClass]
public sealed class ShardTests
{
    [TestMethod]
    public void Shards_cover_every_batch_exactly_once_and_are_balanced()
    {
        var owners = Enumerable.Range(0, 101).Select(b => Enumerable.Range(1, 4).Where(k => new Shard(k, 4).Owns(b)).ToList()).ToList();

        Assert.IsTrue(owners.All(o => o.Count == 1));
        var sizes = owners.GroupBy(o => o[0]).Select(g => g.Count()).ToList();
        Assert.HasCount(4, sizes);
        Assert.IsTrue(sizes.All(s => s is 25 or 26), string.Join(", ", sizes));
    }

    [TestMethod]
    [DataRow("2/4", 2, 4)]
    [DataRow("1/1", 1, 1)]
    public void K_over_N_parses(string text, int k, int n)
    {
        var shard = Shard.Parse(text, _ => null);

        Assert.AreEqual(k, shard.Index);
        Assert.AreEqual(n, shard.Count);
    }

    [TestMethod]
    [DataRow("0/4")]
    [DataRow("5/4")]
    [DataRow("2")]
    [DataRow("a/b")]
    public void A_bad_shard_is_an_error(string text) =>
        Assert.ThrowsExactly<ArgumentException>(() => Shard.Parse(text, _ => null));

    [TestMethod]
    public void Auto_reads_slurm_array_variables()
    {
        var env = new Dictionary<string, string> { ["SLURM_ARRAY_TASK_ID"] = "3", ["SLURM_ARRAY_TASK_MIN"] = "1", ["SLURM_ARRAY_TASK_COUNT"] = "4" };

        var shard = Shard.Parse("auto", env.GetValueOrDefault);

        Assert.AreEqual(new Shard(3, 4), shard);
    }

    [TestMethod]
    public void Auto_reads_a_kubernetes_completion_index_with_a_given_count()
    {
        var env = new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "0" };

        Assert.AreEqual(new Shard(1, 5), Shard.Parse("auto", env.GetValueOrDefault, count: 5));
        Assert.ThrowsExactly<ArgumentException>(() => Shard.Parse("auto", env.GetValueOrDefault));
        Assert.ThrowsExactly<ArgumentException>(() => Shard.Parse("auto", _ => null));
    }

    [TestMethod]
    [TestCategory(TestTiers.Process)]
    public async Task Merged_shards_equal_a_single_machine_run_byte_for_byte()
    {
        var config = Some.Config(Some.SeedYaml + "\nrefine: true\n");
        var single = await Some.SweepAsync(config, batchSize: 50);
        var shared = Some.TempDir();
        for (var k = 1; k <= 3; k++)
        {
            var outcome = await SweepSession.RunAsync(config, shared, new RunOptions(1, 50, new Shard(k, 3)), null, CancellationToken.None);
            Assert.IsFalse(outcome.Complete);
            Assert.IsNull(outcome.Reports);
        }

        Assert.IsFalse(File.Exists(Path.Combine(shared, "summary.parquet")));
        var merged = CliProcess.Run(shared, "merge", ".");

        Assert.AreEqual(0, merged.ExitCode, merged.Stderr);
        CollectionAssert.AreEqual(Stored.TableBytes(single), Stored.TableBytes(shared));
        foreach (var file in new[] { "summary.parquet", "report.md" })
        {
            CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(single, file)), File.ReadAllBytes(Path.Combine(shared, file)), file);
        }
    }

    [TestMethod]
    [TestCategory(TestTiers.Process)]
    public async Task Merge_names_the_shards_that_are_missing()
    {
        var config = Some.Config();
        var shared = Some.TempDir();
        await SweepSession.RunAsync(config, shared, new RunOptions(1, 50, new Shard(2, 4)), null, CancellationToken.None);
        await SweepSession.RunAsync(config, shared, new RunOptions(1, 50, new Shard(4, 4)), null, CancellationToken.None);

        var merged = CliProcess.Run(shared, "merge", ".");

        Assert.AreEqual(1, merged.ExitCode);
        StringAssert.Contains(merged.Stderr, "missing or unfinished shards: 1/4, 3/4");
        Assert.IsFalse(File.Exists(Path.Combine(shared, "summary.parquet")));
    }

    /// <summary>The kernel is recorded in each shard's manifest, so shards run with --per-sample merge as they ran.</summary>
    [TestMethod]
    [TestCategory(TestTiers.Process)]
    public void Shards_run_per_sample_merge_to_the_bytes_of_one_per_sample_run()
    {
        var work = Some.TempDir();
        File.WriteAllText(Path.Combine(work, "seed.yaml"), Some.SeedYaml);
        var single = CliProcess.Run(work, "run", "seed.yaml", "--per-sample", "--runs-per-part", "50", "--out", "single", "--quiet");
        foreach (var k in new[] { 1, 2 })
        {
            var shard = CliProcess.Run(work, "run", "seed.yaml", "--per-sample", "--runs-per-part", "50", "--shard", $"{k}/2", "--out", "shared", "--quiet");
            Assert.AreEqual(0, shard.ExitCode, shard.Stderr);
        }

        var merged = CliProcess.Run(work, "merge", "shared");

        Assert.AreEqual(0, single.ExitCode, single.Stderr);
        Assert.AreEqual(0, merged.ExitCode, merged.Stderr);
        CollectionAssert.AreEqual(Stored.TableBytes(Path.Combine(work, "single")), Stored.TableBytes(Path.Combine(work, "shared")));
    }

    /// <summary>A shard's manifest whose config text was replaced is refused, never trusted: one line, exit 2.</summary>
    [TestMethod]
    [TestCategory(TestTiers.Process)]
    public void A_shard_manifest_whose_config_does_not_match_its_hash_is_refused()
    {
        var work = Some.TempDir();
        File.WriteAllText(Path.Combine(work, "seed.yaml"), Some.SeedYaml);
        foreach (var k in new[] { 1, 2 })
        {
            Assert.AreEqual(0, CliProcess.Run(work, "run", "seed.yaml", "--shard", $"{k}/2", "--out", "shared", "--quiet").ExitCode);
        }

        var manifest = Path.Combine(work, "shared", "manifest-shard-2-of-2.json");
        var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(manifest))!;
        node["config_text"] = ((string)node["config_text"]!).Replace("steps: 1000", "steps: 10", StringComparison.Ordinal);
        File.WriteAllText(manifest, node.ToJsonString());

        var merged = CliProcess.Run(work, "merge", "shared");

        Assert.AreEqual(2, merged.ExitCode, merged.Stderr);
        StringAssert.Contains(merged.Stderr, "holds a config whose text does not match its hash");
        Assert.DoesNotContain("   at ", merged.Stderr);
        Assert.IsFalse(File.Exists(Path.Combine(work, "shared", "summary.parquet")));
    }
}
