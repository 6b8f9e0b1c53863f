using System.Text.Json.Nodes;

namespace GdSweeps.Configs;

/// <summary>
/// Small builders of JSON Schema (draft-07) fragments, for the schema each reader declares beside itself. Each call
/// makes new nodes, since a JSON node has one parent.
/// </summary>
/// <remarks>
/// The loader reads any non-empty scalar as text, so a text value here is a string, a number or a boolean (as an editor
/// reads <c>name: 2024</c> or <c>name: yes</c>); a number is a plain YAML number, which is what the loader accepts.
/// </remarks>
internal static class Schemas
{
    public static JsonObject Text(string? description = null) =>
        Describe(new JsonObject { ["type"] = new JsonArray("string", "number", "boolean"), ["minLength"] = 1 }, description);

    public static JsonObject Number(string? description = null) => Describe(new JsonObject { ["type"] = "number" }, description);

    public static JsonObject Positive(string? description = null) =>
        Describe(new JsonObject { ["type"] = "number", ["exclusiveMinimum"] = 0 }, description);

    public static JsonObject Integer(long min, long max = int.MaxValue, string? description = null) =>
        Describe(new JsonObject { ["type"] = "integer", ["minimum"] = min, ["maximum"] = max }, description);

    public static JsonObject Enum(IEnumerable<string> names, string? description = null) =>
        Describe(new JsonObject { ["enum"] = new JsonArray([.. names.Select(n => (JsonNode)n)]) }, description);

    /// <summary>YAML's null, and <c>none</c>: what <see cref="NodeReader.IsNone"/> reads as no value.</summary>
    public static JsonObject None() => AnyOf(new JsonObject { ["type"] = "null" }, Enum(["none", "null", "~"]));

    public static JsonObject AnyOf(params JsonNode[] options) => new() { ["anyOf"] = new JsonArray(options) };

    /// <summary>A list of at least <paramref name="min"/> items of <paramref name="item"/>.</summary>
    public static JsonObject List(JsonNode item, int min = 1) => new() { ["type"] = "array", ["minItems"] = min, ["items"] = item };

    /// <summary>
    /// The key that names a fragment used in several places: the whole schema defines it once and refers to it.
    /// </summary>
    public const string DefinitionKey = "$def";

    /// <summary>
    /// <paramref name="schema"/>, defined once as <c>#/definitions/<paramref name="name"/></c> in the whole schema.
    /// </summary>
    public static JsonObject Named(string name, JsonObject schema)
    {
        schema[DefinitionKey] = name;
        return schema;
    }

    /// <summary>
    /// One value or a list of them: what every axis takes; the item is defined once as <paramref name="name"/>.
    /// </summary>
    public static JsonObject OneOrList(JsonObject item, string? description = null, string? name = null)
    {
        if (name is not null)
        {
            Named(name, item);
        }

        return Describe(AnyOf(item, List(item.DeepClone())), description);
    }

    /// <summary>A mapping with only the given keys, of which <paramref name="required"/> must be there.</summary>
    public static JsonObject Object(IEnumerable<(string Key, JsonNode Schema)> properties, IEnumerable<string>? required = null, string? description = null)
    {
        var schema = new JsonObject { ["type"] = "object" };
        if (required?.ToArray() is { Length: > 0 } names)
        {
            schema["required"] = new JsonArray([.. names.Select(n => (JsonNode)n)]);
        }

        schema["properties"] = new JsonObject(properties.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Schema)));
        schema["additionalProperties"] = false;
        return Describe(schema, description);
    }

    /// <summary>A mapping of exactly one of the given keys, as <c>{norm: c}</c> or <c>{logspace: {...}}</c>.</summary>
    public static JsonObject OneKey(IEnumerable<(string Key, JsonNode Schema)> properties, string? description = null)
    {
        var schema = Object(properties, description: description);
        schema["minProperties"] = 1;
        schema["maxProperties"] = 1;
        return schema;
    }

    /// <summary><paramref name="schema"/> with <paramref name="description"/> as its first key.</summary>
    public static JsonObject Describe(JsonObject schema, string? description)
    {
        if (description is not null)
        {
            // First, where a reader of the file looks.
            var described = new JsonObject { ["description"] = description };
            foreach (var (key, value) in schema.ToList())
            {
                schema.Remove(key);
                described[key] = value;
            }

            return described;
        }

        return schema;
    }
}
