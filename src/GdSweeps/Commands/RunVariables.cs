using System.Globalization;
using System.Text.Json;
using GdSweeps.Configs;
using GdSweeps.Grid;

namespace GdSweeps.Commands;

/// <summary>
/// What a command is told about its run, three ways: the values of the placeholders in its arguments, the same as
/// environment variables (<c>GDSWEEPS_*</c>, a parameter as <c>GDSWEEPS_PARAM_&lt;NAME&gt;</c>), and a JSON file with
/// the full run definition.
/// </summary>
internal static class RunVariables
{
    /// <summary>Every placeholder's value for one attempt of <paramref name="spec"/>.</summary>
    public static Dictionary<string, string> Values(
        RunSpec spec, IReadOnlyList<string> parameters, DataPaths data, string workdir, string runJson, int attempt)
    {
        var ci = CultureInfo.InvariantCulture;
        var clip = spec.Get(SweepAxes.Clip);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["learning_rate"] = spec.LearningRate.ToString("R", ci),
            ["steps"] = spec.Get(SweepAxes.Steps).ToString(ci),
            ["seed"] = spec.Get(SweepAxes.Seeds).ToString(ci),
            ["clip"] = clip is not null ? clip.Threshold.ToString("R", ci) : "none",
            ["clip_mode"] = clip?.ModeName ?? "none",
            ["dataset"] = spec.Problem.Dataset.Name,
            ["transform"] = spec.Problem.Transform.Label,
            ["data"] = data.Csv,
            ["data_parquet"] = data.Parquet,
            ["data_meta"] = data.Meta,
            ["run_json"] = runJson,
            ["run_id"] = spec.Id.ToString(),
            ["group_id"] = spec.GroupId.ToString(),
            ["run_index"] = spec.Index.ToString(ci),
            ["workdir"] = workdir,
            ["attempt"] = attempt.ToString(ci),
        };
        foreach (var name in parameters)
        {
            values[name] = spec.Get<ParamValue>(name).Text;
        }

        return values;
    }

    /// <summary>
    /// The child's whole environment: PATH (to find what it runs), a UTF-8 locale, its working directory as HOME and
    /// TMPDIR, unbuffered Python output (so a diverging run is seen, and stopped, at once), one thread per numeric
    /// library (the sweep runs <c>--threads</c> processes at once), then the run's variables and the config's
    /// <c>env</c>.
    /// Nothing else of the tool's environment (no credentials, no tokens) reaches the child.
    /// </summary>
    public static List<KeyValuePair<string, string>> Environment(
        IReadOnlyDictionary<string, string> values, IReadOnlyList<string> parameters, TrainerSpec trainer)
    {
        var env = Base(values["workdir"]);
        foreach (var (name, value) in values.Where(v => !parameters.Contains(v.Key)))
        {
            env["GDSWEEPS_" + name.ToUpperInvariant()] = value;
        }

        foreach (var name in parameters)
        {
            env["GDSWEEPS_PARAM_" + name.ToUpperInvariant()] = values[name];
        }

        foreach (var (name, value) in trainer.Environment)
        {
            env[name] = value;
        }

        return [.. env];
    }

    /// <summary>
    /// A worker's whole environment (<c>trainer.serve</c>): the same base as a run's, its own folder as HOME and
    /// TMPDIR, <c>GDSWEEPS_WORKER</c> (its number), <c>GDSWEEPS_BATCH</c> and, given a device,
    /// <c>CUDA_VISIBLE_DEVICES</c> and <c>GDSWEEPS_DEVICE</c>; then the config's <c>env</c>. A run's own values come
    /// in its JSON on stdin.
    /// </summary>
    public static List<KeyValuePair<string, string>> WorkerEnvironment(string home, TrainerSpec trainer, int slot, string? device)
    {
        var env = Base(home);
        env["GDSWEEPS_PROTOCOL"] = TrainerSpec.ProtocolVersion.ToString(CultureInfo.InvariantCulture);
        env["GDSWEEPS_WORKER"] = slot.ToString(CultureInfo.InvariantCulture);
        env["GDSWEEPS_BATCH"] = trainer.Batch.ToString(CultureInfo.InvariantCulture);
        if (device is not null)
        {
            env["CUDA_VISIBLE_DEVICES"] = device;
            env["GDSWEEPS_DEVICE"] = device;
        }

        foreach (var (name, value) in trainer.Environment)
        {
            env[name] = value;
        }

        return [.. env];
    }

    private static Dictionary<string, string> Base(string home) => new(StringComparer.Ordinal)
    {
        ["PATH"] = System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin",
        ["LANG"] = "C.UTF-8",
        ["LC_ALL"] = "C.UTF-8",
        ["HOME"] = home,
        ["TMPDIR"] = home,
        ["PYTHONUNBUFFERED"] = "1",
        ["PYTHONHASHSEED"] = "0",
        ["PYTHONDONTWRITEBYTECODE"] = "1",
        ["OMP_NUM_THREADS"] = "1",
        ["OPENBLAS_NUM_THREADS"] = "1",
        ["MKL_NUM_THREADS"] = "1",
    };

    /// <summary>Writes the run's full definition as JSON to <paramref name="path"/>.</summary>
    public static void WriteJson(string path, RunSpec spec, SweepConfig config, IReadOnlyDictionary<string, string> values, int attempt)
    {
        using var file = File.Create(path);
        using var json = new Utf8JsonWriter(file, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        Write(json, spec, config, values, attempt, device: null);
    }

    /// <summary>
    /// The run's full definition as one line of JSON, as a worker reads it on stdin: the file's fields, and the
    /// worker's <c>device</c>.
    /// </summary>
    public static string Line(RunSpec spec, SweepConfig config, IReadOnlyDictionary<string, string> values, int attempt, string? device)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Write(json, spec, config, values, attempt, device);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Write(Utf8JsonWriter json, RunSpec spec, SweepConfig config, IReadOnlyDictionary<string, string> values, int attempt, string? device)
    {
        json.WriteStartObject();
        json.WriteNumber("protocol", TrainerSpec.ProtocolVersion);
        json.WriteString("run_id", values["run_id"]);
        json.WriteString("group_id", values["group_id"]);
        json.WriteNumber("run_index", spec.Index);
        json.WriteNumber("attempt", attempt);
        json.WriteStartObject("dataset");
        json.WriteString("name", spec.Problem.Dataset.Name);
        json.WriteString("fingerprint", spec.Problem.Dataset.Fingerprint);
        json.WriteNumber("samples", spec.Problem.Count);
        json.WriteNumber("features", spec.Problem.Features);
        json.WriteEndObject();
        json.WriteString("transform", spec.Problem.Transform.Label);
        json.WriteStartObject("data");
        json.WriteString("csv", values["data"]);
        json.WriteString("parquet", values["data_parquet"]);
        json.WriteString("meta", values["data_meta"]);
        json.WriteEndObject();
        json.WriteNumber("learning_rate", spec.LearningRate);
        json.WriteNumber("steps", spec.Get(SweepAxes.Steps));
        json.WriteNumber("seed", spec.Get(SweepAxes.Seeds));
        if (spec.Get(SweepAxes.Clip) is { } clip)
        {
            json.WriteStartObject("clip");
            json.WriteString("mode", clip.ModeName);
            json.WriteNumber("threshold", clip.Threshold);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("clip");
        }

        json.WriteStartObject("params");
        foreach (var name in config.Parameters)
        {
            var value = spec.Get<ParamValue>(name);
            if (value.Number is { } number)
            {
                json.WriteNumber(name, number);
            }
            else
            {
                json.WriteString(name, value.Text);
            }
        }

        json.WriteEndObject();
        json.WriteStartArray("metrics");
        foreach (var metric in config.Trainer!.Metrics)
        {
            json.WriteStringValue(metric);
        }

        json.WriteEndArray();
        json.WriteNumber("divergence_threshold", config.DivergenceThreshold);
        json.WriteNumber("tolerance", config.Tolerance);
        json.WriteString("workdir", values["workdir"]);
        if (config.Trainer.Serve)
        {
            json.WriteString("run_json", values["run_json"]);
            json.WriteString("device", device);
        }

        json.WriteEndObject();
    }
}
