using System.Text.Json.Nodes;
using GdSweeps.Tests.Support;
using Json.Schema;

namespace GdSweeps.Tests.Configs;

/// <summary>
/// The JSON Schema editors read: generated from the readers, shipped as generated, and true to what the loader accepts.
/// </summary>
[TestClass]
public sealed class ConfigSchemaTests
{
    private static readonly Lazy<JsonSchema> Shipped = new(() => JsonSchema.FromText(File.ReadAllText(Path.Combine(Some.RepoRoot, ConfigSchema.ShippedPath))));

    /// <summary>The schema's verdict on a YAML config, with its errors.</summary>
    public static (bool Valid, string Errors) Check(string yaml)
    {
        var result = Shipped.Value.Evaluate(YamlJson.Convert(yaml), new EvaluationOptions { OutputFormat = OutputFormat.List });
        var errors = (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"));
        return (result.IsValid, string.Join("; ", errors.Take(8)));
    }

    [TestMethod]
    public void The_shipped_schema_is_the_one_the_code_generates()
    {
        var shipped = File.ReadAllText(Path.Combine(Some.RepoRoot, ConfigSchema.ShippedPath));

        Assert.AreEqual(ConfigSchema.Text(), shipped, $"{ConfigSchema.ShippedPath} is not what the config readers generate; regenerate it: {ConfigSchema.RegenerateCommand} (or gdsweeps schema > {ConfigSchema.ShippedPath})");
    }

    [TestMethod]
    public void The_schema_has_a_property_for_every_top_level_key_the_loader_reads_and_no_other()
    {
        var schema = ConfigSchema.Build();

        CollectionAssert.AreEqual(ConfigLoader.TopKeys.ToArray(), ((JsonObject)schema["properties"]!).Select(p => p.Key).ToArray());
        Assert.IsFalse(schema["additionalProperties"]!.GetValue<bool>());
        CollectionAssert.AreEquivalent(
            SweepAxes.All.Where(a => a.Required).Select(a => a.Name).ToArray(),
            ((JsonArray)schema["required"]!).Select(n => n!.GetValue<string>()).ToArray());
    }

    [TestMethod]
    public void Every_key_in_the_schema_has_a_description_for_the_editor_to_show()
    {
        foreach (var (key, value) in (JsonObject)ConfigSchema.Build()["properties"]!)
        {
            Assert.IsFalse(string.IsNullOrWhiteSpace(value!["description"]?.GetValue<string>()), key);
        }
    }

    [TestMethod]
    public void The_enums_of_the_schema_are_the_names_the_readers_accept()
    {
        string[] none = ["none", "null", "~"];
        var cases = new (string Key, IEnumerable<string> Names)[]
        {
            ("transforms", GdSweeps.Transforms.Transform.Names),
            ("model", Enum.GetValues<ModelKind>().Select(m => m.Name())),
            ("loss", Enum.GetValues<LossKind>().Select(k => new LossSpec(k).Name)),
            ("optimizer", [.. OptimizerSpec.Names, .. none]),
            ("schedule", ["constant"]),
            ("clip", none),
            ("curve", Enum.GetValues<CurveMode>().Select(c => c.ToString().ToLowerInvariant())),
            ("kernel", ["auto", "per-sample"]),
            ("zip", SweepAxes.Names),
            ("datasets", ["error", "drop"]),
        };
        var properties = (JsonObject)ConfigSchema.Build()["properties"]!;

        foreach (var (key, names) in cases)
        {
            CollectionAssert.AreEquivalent(names.Distinct().ToArray(), Enums(properties[key]).Distinct().ToArray(), key);
        }
    }

    [TestMethod]
    public void Each_optimizer_in_the_schema_takes_exactly_the_hyperparameters_the_reader_takes()
    {
        var optimizer = (JsonObject)Resolve(ConfigSchema.Build(), "optimizer")!;
        var byName = (JsonObject)((JsonArray)optimizer["anyOf"]!)[1]!["properties"]!;

        CollectionAssert.AreEqual(OptimizerSpec.Names.ToArray(), byName.Select(p => p.Key).ToArray());
        for (var i = 0; i < OptimizerSpec.Names.Count; i++)
        {
            var hyper = (JsonObject)((JsonArray)byName[OptimizerSpec.Names[i]]!["anyOf"]!)[1]!["properties"]!;
            CollectionAssert.AreEqual(OptimizerSpec.Keys((OptimizerKind)i).ToArray(), hyper.Select(p => p.Key).ToArray(), OptimizerSpec.Names[i]);
        }
    }

    [TestMethod]
    public void Every_shipped_config_and_example_names_the_schema_on_its_first_line_and_validates_against_it()
    {
        var configs = Directory.GetFiles(Path.Combine(Some.RepoRoot, "configs"), "*.yaml")
            .Concat(Directory.GetFiles(Path.Combine(Some.RepoRoot, "examples"), "*.yaml", SearchOption.AllDirectories)).ToList();
        Assert.IsGreaterThanOrEqualTo(8, configs.Count);

        foreach (var path in configs)
        {
            var text = File.ReadAllText(path);
            var reference = Path.GetRelativePath(Path.GetDirectoryName(path)!, Path.Combine(Some.RepoRoot, ConfigSchema.ShippedPath));
            Assert.AreEqual($"# yaml-language-server: $schema={reference}", text.Split('\n')[0], path);
            var (valid, errors) = Check(text);
            Assert.IsTrue(valid, $"{path}: {errors}");
        }
    }

    /// <summary>Every enum value in a fragment, following references into the definitions.</summary>
    private static IEnumerable<string> Enums(JsonNode? node, JsonObject? root = null)
    {
        root ??= ConfigSchema.Build();
        return node switch
        {
            JsonObject map when map["$ref"] is { } reference => Enums(root["definitions"]![reference.GetValue<string>().Split('/')[^1]], root),
            JsonObject map => map.SelectMany(p => p.Key == "enum" ? ((JsonArray)p.Value!).Select(v => v!.GetValue<string>()) : Enums(p.Value, root)),
            JsonArray list => list.SelectMany(item => Enums(item, root)),
            _ => [],
        };
    }

    private static JsonNode? Resolve(JsonObject root, string definition) => root["definitions"]![definition];
}
