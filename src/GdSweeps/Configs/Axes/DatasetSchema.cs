using System.Text.Json.Nodes;

namespace GdSweeps.Configs.Axes;

/// <summary>
/// The JSON Schema of the <c>datasets</c> axis, from the keys <see cref="DatasetAxis"/> reads: one source each, inline,
/// CSV or generated.
/// </summary>
internal static class DatasetSchema
{
    public static JsonObject Axis(string[] keys, string[] generateKeys, string[] missingModes, string[] lineKeys, string[] uniformKeys, string[] normalKeys)
    {
        JsonObject Required(params string[] names) => new() { ["required"] = new JsonArray([.. names.Select(n => (JsonNode)n)]) };
        JsonObject NotAny(params string[] names) => new() { ["not"] = Schemas.AnyOf([.. names.Select(n => Required(n))]) };
        JsonObject Column() => Schemas.Text("a column of the CSV file's header");
        JsonObject Rows() => Schemas.List(Schemas.List(Schemas.Number()));

        var described = new Dictionary<string, JsonNode>
        {
            ["name"] = Schemas.Text("the dataset's name, unique in the config; stored in every row"),
            ["x"] = Schemas.Describe(new JsonObject(), "inline: numbers, a range or rows [[x1, x2], ...]; CSV: a column or a list of columns; generated: see generate.x"),
            ["y"] = Schemas.Describe(new JsonObject(), "inline: numbers, or {a, b} for y = a*x + b; CSV: a column"),
            ["csv"] = Schemas.Text("a CSV file with a header row, relative to the config's folder"),
            ["missing"] = Schemas.Enum(missingModes, "CSV only: a missing cell is an error (error, the default) or drops its row (drop)"),
            ["generate"] = Generate(generateKeys, uniformKeys, normalKeys),
        };
        var dataset = Schemas.Object(keys.Select(k => (k, described[k])), ["name"]);

        // Which source: each with its own x and y.
        var csv = Required("csv", "x", "y");
        csv["properties"] = new JsonObject { ["x"] = Schemas.OneOrList(Column()), ["y"] = Column() };
        csv["not"] = Required("generate");
        var generated = Required("generate");
        generated["not"] = Required("csv");
        var inline = Required("x", "y");
        inline["properties"] = new JsonObject
        {
            ["x"] = Schemas.AnyOf(Values.NumbersSchema(Schemas.Number()), Rows()),
            ["y"] = Schemas.AnyOf(Values.NumbersSchema(Schemas.Number()), Schemas.Object(lineKeys.Select(k => (k, (JsonNode)Schemas.Number())))),
        };
        inline["allOf"] = new JsonArray(NotAny("csv", "generate", "missing"));
        dataset["anyOf"] = new JsonArray(csv, generated, inline);
        return Schemas.OneOrList(dataset, "required: the data, each a mapping with a name and one source: inline x and y, a csv file, or generate", "dataset");
    }

    private static JsonObject Generate(string[] keys, string[] uniformKeys, string[] normalKeys)
    {
        JsonObject Count() => Schemas.Integer(1, 100_000_000);
        var draws = Schemas.OneKey(
        [
            ("uniform", Schemas.Object(uniformKeys.Zip<string, JsonNode>([Schemas.Number(), Schemas.Number(), Count()]), uniformKeys)),
            ("normal", Schemas.Object(normalKeys.Zip<string, JsonNode>([Schemas.Number("default 0"), Schemas.Number("default 1"), Count()]), ["count"])),
        ]);
        var described = new Dictionary<string, JsonNode>
        {
            ["x"] = Schemas.Describe(Schemas.AnyOf(Values.NumbersSchema(Schemas.Number()), draws), "numbers, a range, {uniform: {from, to, count}} or {normal: {mean, std, count}}"),
            ["a"] = Schemas.Number("slope, default 1"),
            ["b"] = Schemas.Number("intercept, default 0"),
            ["noise"] = Schemas.Describe(new JsonObject { ["type"] = "number", ["minimum"] = 0 }, "std of Gaussian noise on y, default 0"),
            ["seed"] = Schemas.Integer(0, description: "default 0"),
            ["scale"] = Values.NumbersSchema(Schemas.Number(), "x is multiplied by each: one dataset per scale"),
        };
        return Schemas.Object(keys.Select(k => (k, described[k])), ["x"], "y = a*x*scale + b + noise, drawn from a seed");
    }
}
