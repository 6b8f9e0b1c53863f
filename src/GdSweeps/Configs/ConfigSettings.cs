using System.Text.Json.Nodes;

namespace GdSweeps.Configs;

/// <summary>
/// The settings: every top-level key that is not an axis, each with the JSON Schema of what <see cref="ConfigLoader"/>
/// reads from it.
/// </summary>
internal static partial class ConfigLoader
{
    private const string SafeNamePattern = @"^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$";

    // Properties, not fields: the settings' keys are read by a field initializer of the other part of this class,
    // and the order of initializers across the parts of a partial class is not defined.
    private static string[] CurveModes => ["log", "all"];

    private static string[] KernelModes => ["auto", "per-sample"];

    private static string[] RefineKeys => ["tolerance"];

    /// <summary>
    /// Each setting's key and schema, in the order of docs/config.md; <c>name</c> and <c>description</c> come before
    /// the axes.
    /// </summary>
    internal static IReadOnlyList<(string Key, JsonObject Schema)> Settings() =>
    [
        ("name", Schemas.Describe(
            new JsonObject { ["type"] = new JsonArray("string", "number"), ["pattern"] = SafeNamePattern },
            "the sweep's name; results go to results/<name>/ (default: the file's name). Letters, digits, '.', '_', '-', not starting with '.'")),
        ("description", Schemas.Text("free text, kept with the config")),
        ("zip", Schemas.Describe(
            Schemas.AnyOf(Schemas.List(AxisName(), 2), Schemas.List(Schemas.List(AxisName(), 2))),
            "axes that move together instead of multiplying: [[learning_rates, steps]]; they need equal lengths")),
        ("exclude", Schemas.OneOrList(
            Schemas.Object(SweepAxes.Names.Select(n => (n, (JsonNode)Schemas.Describe(new JsonObject(), $"a value of {n} (or a list), as the axis reads it, or its label")))),
            "leaves out every run matching all keys of one rule: [{optimizer: normalized, clip: [1, 10]}]",
            "exclude_rule")),
        ("divergence_threshold", Schemas.Positive("a run whose loss exceeds this (or is not finite) has diverged and stops (default 1e12)")),
        ("tolerance", Schemas.Positive("converged once the distance to the optimum is this fraction of the start's (default 1e-6)")),
        ("curve", Schemas.Enum(CurveModes, "which steps curves/ keeps: log (0-10, about 20 a decade, the last) or all (default log)")),
        ("kernel", Schemas.Enum(KernelModes, "auto: full-batch MSE steps from the sums Z^T Z, Z^T y; per-sample: loop over the samples (default auto)")),
        ("max_runs", Schemas.Integer(1, description: "a larger sweep needs gdsweeps run --yes (default 1000000)")),
        ("max_csv_mb", Schemas.Integer(1, description: "the size limit of each CSV file, in MiB (default 1024)")),
        ("refine", Schemas.Describe(
            Schemas.AnyOf(new JsonObject { ["type"] = "boolean" }, Schemas.Positive(), Schemas.Object(RefineKeys.Select(k => (k, (JsonNode)Schemas.Positive())))),
            "bisect each group's stability edge to this relative tolerance (true = 1%), first searching beyond the grid (default false)")),
    ];

    private static JsonObject AxisName() => Schemas.Enum(SweepAxes.Names);
}
