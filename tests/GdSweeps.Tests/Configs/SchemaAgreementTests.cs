using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Configs;

/// <summary>
/// The schema and the loader agree, config by config: every form the loader's vocabulary names is accepted by both,
/// and mistakes a schema can see (unknown keys and names, wrong types, out-of-range numbers) are refused by both.
/// </summary>
/// <remarks>Mistakes only the loader can see (a transform that cannot fit, lengths that differ, a file's cells) are not
/// cases here.</remarks>
[TestClass]
public sealed class SchemaAgreementTests
{
    private static readonly (string Key, string Value)[] Base =
    [
        ("name", "case"),
        ("datasets", "[{name: d, x: [1, 100], y: [2, 200]}]"),
        ("transforms", "none"),
        ("learning_rates", "[0.01, 0.1]"),
    ];

    /// <summary>
    /// The base config with each key set (replaced, or added at the end); a null value removes the key.
    /// </summary>
    private static string Config(params (string Key, string? Value)[] changes)
    {
        var keys = Base.Select(b => b.Key).Concat(changes.Select(c => c.Key)).Distinct();
        var values = Base.ToDictionary(b => b.Key, b => (string?)b.Value);
        foreach (var (key, value) in changes)
        {
            values[key] = value;
        }

        return string.Concat(keys.Where(k => values[k] is not null).Select(k => $"{k}: {values[k]}\n"));
    }

    private static (bool Loaded, string Errors) Load(string yaml)
    {
        try
        {
            ConfigLoader.Parse(yaml, Path.Combine(Some.RepoRoot, "configs", "case.yaml"));
            return (true, "");
        }
        catch (ConfigException e)
        {
            return (false, e.Message);
        }
    }

    public static IEnumerable<object[]> Accepted()
    {
        IEnumerable<(string, string)> forms =
        [
            .. GdSweeps.Transforms.Transform.Names.Select(n => ("transforms", n)),
            ("transforms", "[none, [log1p, standardize], {x: standardize, y: none}, {x: [log1p, minmax]}]"),
            .. Enum.GetValues<ModelKind>().Select(m => ("model", m.Name())),
            ("model", "[linear, affine]"),
            .. Enum.GetValues<LossKind>().Select(k => ("loss", new LossSpec(k).Name)),
            ("loss", "[mse, {huber: {delta: 2}}, {huber: {}}]"),
            .. OptimizerSpec.Names.Select(n => ("optimizer", n)),
            .. OptimizerSpec.Names.SelectMany((n, i) => OptimizerSpec.Keys((OptimizerKind)i).Select(h => ("optimizer", $"{{{n}: {{{h}: {(h == "batch_size" ? "[1, 2]" : "0.5")}}}}}"))),
            ("optimizer", "[gd, {adam: ~}, {momentum: none}, {adam: {eps: {logspace: {from: 1.0e-7, to: 1.0e-5, count: 3}}}}]"),
            ("schedule", "[constant, {warmup: 5}, {step: {every: 5, gamma: 0.5}}, {warmup: 5, step: {every: 10, gamma: 0.1}}]"),
            .. Enum.GetValues<ClipMode>().Select(m => ("clip", $"{{{new ClipSpec(m, 1).ModeName}: 1}}")),
            ("clip", "[none, 1, {norm: 2}, {value: 3}]"),
            ("clip", "~"),
            ("w0", "1"),
            ("w0", "[1, 2, [3], {normal: {std: 1}}]"),
            ("w0", "{normal: {}}"),
            ("w0", "{linspace: {from: -1, to: 1, count: 3}}"),
            ("b0", "[0, 1]"),
            ("steps", "5"),
            ("steps", "[5, 10]"),
            ("seeds", "3"),
            ("seeds", "[0, 7]"),
            ("learning_rates", "0.1"),
            ("learning_rates", "{logspace: {from: 1e-4, to: 1, count: 5}}"),
            ("learning_rates", "{logspace: {from: 1.0e-4, to: 1, per_decade: 2}}"),
            ("learning_rates", "{linspace: {from: 0.1, to: 1, count: 4}}"),
            .. Enum.GetValues<CurveMode>().Select(c => ("curve", c.ToString().ToLowerInvariant())),
            ("kernel", "auto"),
            ("kernel", "per-sample"),
            ("refine", "true"),
            ("refine", "false"),
            ("refine", "0.05"),
            ("refine", "{tolerance: 0.1}"),
            ("divergence_threshold", "1e6"),
            ("tolerance", "1.0e-4"),
            ("max_runs", "10"),
            ("max_csv_mb", "5"),
            ("description", "a study of the edge"),
            ("name", "2024"),
            ("exclude", "{learning_rates: 0.1}"),
            ("exclude", "[{learning_rates: [0.1], transforms: none}]"),
            ("datasets", "{name: d, x: [1, 2], y: [2, 4]}"),
            ("datasets", "[{name: rows, x: [[1, 2], [2, 1], [3, 5]], y: [4, 5, 9]}]"),
            ("datasets", "[{name: line, x: {logspace: {from: 1, to: 100, count: 5}}, y: {a: 2}}]"),
            ("datasets", "[{name: gen, generate: {x: {linspace: {from: 1, to: 10, count: 5}}, a: 2, b: 1, noise: 0.1, seed: 1, scale: [1, 10]}}]"),
            ("datasets", "[{name: u, generate: {x: {uniform: {from: 0, to: 1, count: 10}}}}, {name: n, generate: {x: {normal: {count: 10}}}}]"),
            ("datasets", "[{name: h, csv: data/houses.csv, x: [area, rooms], y: price, missing: drop}]"),
            ("datasets", "[{name: h, csv: data/houses.csv, x: area, y: price, missing: drop}]"),
        ];
        return forms.Select(f => new object[] { f.Item1, f.Item2 });
    }

    public static IEnumerable<object[]> Refused() =>
        new (string Key, string? Value)[]
        {
            ("transforms", null), ("datasets", null), ("learning_rates", null),
            ("stepz", "1"),
            ("transforms", "bogus"), ("transforms", "[[]]"), ("transforms", "{x: bogus}"), ("transforms", "{z: none}"),
            ("model", "quadratic"), ("loss", "mae"), ("loss", "{huber: {delta: 0}}"), ("loss", "{huber: {gamma: 1}}"),
            ("optimizer", "adamw"), ("optimizer", "{adam: {beta: 0.5}}"), ("optimizer", "{gd: {beta: 0.5}}"), ("optimizer", "{adam: {beta1: 1}}"),
            ("optimizer", "{adam: {eps: 0}}"), ("optimizer", "{sgd: {batch_size: 0}}"), ("optimizer", "{sgd: {batch_size: 1.5}}"), ("optimizer", "{adam: {}, sgd: {}}"),
            ("schedule", "cosine"), ("schedule", "{warmup: 0}"), ("schedule", "{step: {every: 5}}"), ("schedule", "{decay: 1}"),
            ("clip", "-1"), ("clip", "0"), ("clip", "{norm: 1, value: 2}"), ("clip", "{max: 1}"),
            ("w0", "one"), ("w0", "{normal: {mean: 1}}"), ("w0", "{uniform: {}}"),
            ("steps", "0"), ("steps", "1.5"), ("steps", "'10'"), ("steps", "[]"),
            ("seeds", "0"), ("seeds", "[-1]"),
            ("learning_rates", "0"), ("learning_rates", "-1"), ("learning_rates", "abc"), ("learning_rates", ".inf"),
            ("learning_rates", "{logspace: {from: 1e-4, to: 1}}"), ("learning_rates", "{logspace: {from: 0, to: 1, count: 3}}"),
            ("learning_rates", "{logspace: {from: 1e-4, to: 1, count: 3, per_decade: 2}}"), ("learning_rates", "{geomspace: {from: 1, to: 2, count: 2}}"),
            ("curve", "some"), ("kernel", "gpu"), ("refine", "{tol: 1}"), ("refine", "-1"), ("refine", "yes"),
            ("divergence_threshold", "0"), ("tolerance", "-1"), ("max_runs", "0"), ("max_csv_mb", "0"),
            ("name", ".hidden"), ("name", "a/b"),
            ("zip", "[[learning_rates]]"), ("zip", "[[learning_rates, stepz]]"), ("exclude", "[{stepz: 1}]"),
            ("datasets", "[]"), ("datasets", "[{x: [1], y: [1]}]"), ("datasets", "[{name: d, x: [1, 2]}]"),
            ("datasets", "[{name: d, x: [1, 2], y: [2, 4], missing: drop}]"), ("datasets", "[{name: d, x: [1, 2], y: [2, 4], colour: red}]"),
            ("datasets", "[{name: d, x: [a, b], y: [2, 4]}]"), ("datasets", "[{name: d, csv: data/houses.csv, x: area, y: price, generate: {x: [1]}}]"),
            ("datasets", "[{name: d, generate: {a: 1}}]"), ("datasets", "[{name: d, generate: {x: {uniform: {from: 0, count: 5}}}}]"),
            ("datasets", "[{name: d, generate: {x: [1, 2], noise: -1}}]"),
        }.Select(c => new object[] { c.Key, c.Value ?? "(removed)" });

    [TestMethod]
    [DynamicData(nameof(Accepted))]
    public void A_form_the_loader_reads_is_valid_in_the_schema(string key, string value)
    {
        var yaml = Config((key, value));

        var (loaded, loadErrors) = Load(yaml);
        var (valid, schemaErrors) = ConfigSchemaTests.Check(yaml);

        Assert.IsTrue(loaded, $"the loader refused {key}: {value}: {loadErrors}");
        Assert.IsTrue(valid, $"the schema refused {key}: {value}: {schemaErrors}");
    }

    [TestMethod]
    [DynamicData(nameof(Refused))]
    public void A_mistake_the_loader_refuses_is_invalid_in_the_schema_too(string key, string value)
    {
        var yaml = Config((key, value == "(removed)" ? null : value));

        var (loaded, _) = Load(yaml);
        var (valid, _) = ConfigSchemaTests.Check(yaml);

        Assert.IsFalse(loaded, $"the loader accepted {key}: {value}");
        Assert.IsFalse(valid, $"the schema accepted {key}: {value}");
    }

    [TestMethod]
    public void Zipped_axes_and_a_flat_zip_are_valid_in_both()
    {
        foreach (var zip in new[] { "[[learning_rates, steps]]", "[learning_rates, steps]" })
        {
            var yaml = Config(("steps", "[10, 20]"), ("zip", zip));

            Assert.IsTrue(Load(yaml).Loaded, zip);
            Assert.IsTrue(ConfigSchemaTests.Check(yaml).Valid, zip);
        }
    }

    /// <summary>
    /// A command trainer's keys: the forms the loader reads are valid in the schema, and the mistakes it refuses are
    /// invalid there too.
    /// </summary>
    [TestMethod]
    public void A_command_trainer_and_its_parameters_agree_in_both()
    {
        const string Command = "command: [/bin/true, --lr, '{learning_rate}', --data, '{data}']";
        string[] accepted =
        [
            $"{{{Command}}}",
            $"{{{Command}, timeout: 10m, retries: 2, env: {{OMP_NUM_THREADS: 1, MODE: fast}}, metrics: [accuracy, val_loss]}}",
            $"{{{Command}, timeout: 30, metrics: accuracy}}",
            $"{{{Command}, timeout: none, retries: 0}}",
            $"{{{Command}, timeout: 500ms}}",
        ];
        foreach (var trainer in accepted)
        {
            Agree(true, Config(("trainer", trainer)), trainer);
        }

        foreach (var parameters in new[] { "{hidden: [16, 64]}", "{hidden: 8, act: [tanh, relu], decay: {logspace: {from: 1.0e-4, to: 1.0e-2, count: 3}}}", "{tag: '7'}" })
        {
            Agree(true, Config(("trainer", $"{{{Command}}}"), ("params", parameters)), parameters);
        }

        string[] refused =
        [
            "{}", "{command: []}", "{command: /bin/true}", $"{{{Command}, retries: -1}}", $"{{{Command}, retries: 1.5}}", $"{{{Command}, timeout: soon}}",
            $"{{{Command}, colour: red}}", $"{{{Command}, env: {{GDSWEEPS_RUN: 1}}}}", $"{{{Command}, env: {{1A: x}}}}", $"{{{Command}, metrics: [loss]}}",
            $"{{{Command}, metrics: [Accuracy]}}",
        ];
        foreach (var trainer in refused)
        {
            Agree(false, Config(("trainer", trainer)), trainer);
        }

        foreach (var parameters in new[] { "{Hidden: [1]}", "{seed: [1, 2]}", "{learning_rate: [1]}", "{hidden: []}", "{hidden: ''}" })
        {
            Agree(false, Config(("trainer", $"{{{Command}}}"), ("params", parameters)), parameters);
        }

        static void Agree(bool expected, string yaml, string what)
        {
            var (loaded, loadErrors) = Load(yaml);
            var (valid, schemaErrors) = ConfigSchemaTests.Check(yaml);
            Assert.AreEqual(expected, loaded, $"the loader on {what}: {loadErrors}");
            Assert.AreEqual(expected, valid, $"the schema on {what}: {schemaErrors}");
        }
    }
}
