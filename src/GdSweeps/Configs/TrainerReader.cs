using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GdSweeps.Data;
using YamlDotNet.RepresentationModel;

namespace GdSweeps.Configs;

/// <summary>
/// Reads <c>trainer:</c> and checks, before anything runs, everything a run needs: the program exists and can be run,
/// every script the command names and every input is a file, every placeholder names a value a run has.
/// </summary>
internal static partial class TrainerReader
{
    private static readonly string[] Keys = ["command", "inputs", "timeout", "retries", "env", "metrics", "serve", "batch", "devices", "workers_per_device"];

    /// <summary>
    /// What an argument that names a script ends with: such a file must exist when the config is read.
    /// </summary>
    private static readonly string[] ScriptExtensions = [".py", ".sh", ".bash", ".r", ".jl", ".pl", ".rb", ".js", ".lua"];

    /// <summary>Protocol keys and column names a metric would shadow.</summary>
    private static readonly HashSet<string> Reserved = ["step", "loss", "grad_norm", "sharpness", "final", "loss_original"];

    /// <summary>The JSON Schema of what <see cref="Read"/> accepts.</summary>
    public static JsonObject Schema()
    {
        var oneOrList = Schemas.AnyOf(Schemas.Text(), Schemas.List(Schemas.Text()));
        var timeout = Schemas.AnyOf(
            Schemas.Positive(),
            new JsonObject { ["type"] = "string", ["pattern"] = Duration().ToString() },
            Schemas.None());
        var environment = new JsonObject
        {
            ["type"] = "object",
            ["propertyNames"] = new JsonObject { ["pattern"] = EnvironmentName().ToString(), ["not"] = new JsonObject { ["pattern"] = "^GDSWEEPS_" } },
            ["additionalProperties"] = new JsonObject { ["type"] = new JsonArray("string", "number", "boolean") },
        };
        JsonObject Metric() => new() { ["type"] = "string", ["pattern"] = MetricName().ToString(), ["not"] = Schemas.Enum(Reserved.Order(StringComparer.Ordinal)) };
        return Schemas.Object(
            Keys.Zip<string, JsonNode>(
            [
                Schemas.Describe(Schemas.List(Schemas.Text()), "the program, then each argument; {placeholders} take a run's values (no shell runs it)"),
                Schemas.Describe(oneOrList, "files whose contents are part of every run's identity (the script, its modules, its data)"),
                Schemas.Describe(timeout, $"per attempt: seconds, or 500ms, 30s, 10m, 2h, or none (default {TrainerSpec.DefaultTimeout.TotalHours:0} hour)"),
                Schemas.Integer(0, 100, "times a failed run (non-zero exit, timeout, malformed output) is tried again (default 0)"),
                Schemas.Describe(environment, "variables added to the run's clean environment"),
                Schemas.Describe(Schemas.AnyOf(Metric(), Schemas.List(Metric())), "the numbers, beyond step, loss, grad_norm and sharpness, the command reports and the tables keep"),
                Schemas.Describe(new JsonObject { ["type"] = "boolean" }, "the command serves many runs: long-lived workers read one run's JSON a line on stdin and answer each with the protocol and an end line (default false)"),
                Schemas.Integer(1, MaxBatch, "with serve: up to N runs of one group sent to a worker at once, its lines tagged with each run's id (default 1)"),
                Schemas.Describe(Schemas.AnyOf(Schemas.Enum(["auto"]), Schemas.List(new JsonObject { ["type"] = new JsonArray("string", "integer") })), "with serve: the devices the workers get in turn (CUDA_VISIBLE_DEVICES); auto takes the task's GPUs"),
                Schemas.Integer(1, 64, "with devices: workers on each device (default 1)"),
            ]),
            ["command"],
            "a command that trains each run instead of the built-in models (docs/config.md#a-command-trainer)");
    }

    public static TrainerSpec? Read(NodeReader reader, YamlNode node, IReadOnlyCollection<string> parameters)
    {
        if (reader.Mapping(node, "trainer", Keys) is not { } map)
        {
            return null;
        }

        var command = NodeReader.Child(map, "command") is { } c ? Command(reader, c, parameters) : Missing(reader, map, "trainer.command");
        var inputs = NodeReader.Child(map, "inputs") is { } i ? Inputs(reader, i) : [];
        var timeout = NodeReader.Child(map, "timeout") is { } t ? Timeout(reader, t) : TrainerSpec.DefaultTimeout;
        var retries = NodeReader.Child(map, "retries") is { } r ? reader.Int(r, "trainer.retries", 0, 100) : 0;
        var environment = NodeReader.Child(map, "env") is { } e ? Environment(reader, e) : [];
        var metrics = NodeReader.Child(map, "metrics") is { } m ? Metrics(reader, m) : [];
        var serve = NodeReader.Child(map, "serve") is { } sv ? Flag(reader, sv, "trainer.serve") : false;
        var batch = NodeReader.Child(map, "batch") is { } b ? reader.Int(b, "trainer.batch", 1, MaxBatch) : 1;
        var devices = NodeReader.Child(map, "devices") is { } d ? Devices(reader, d) : [];
        var perDevice = NodeReader.Child(map, "workers_per_device") is { } w ? reader.Int(w, "trainer.workers_per_device", 1, 64) : 1;
        if (serve is false)
        {
            foreach (var key in ServeKeys.Where(k => NodeReader.Child(map, k) is not null))
            {
                reader.Error(NodeReader.Child(map, key)!, $"trainer.{key}", $"{key} is for a command that serves many runs: set serve: true (docs/config.md#workers)");
            }
        }
        else if (NodeReader.Child(map, "workers_per_device") is { } wpd && NodeReader.Child(map, "devices") is null)
        {
            reader.Error(wpd, "trainer.workers_per_device", "workers_per_device needs devices");
        }

        if (devices is { Count: > 0 } && NodeReader.Child(map, "env") is YamlMappingNode env
            && env.Children.Keys.FirstOrDefault(k => k is YamlScalarNode { Value: "CUDA_VISIBLE_DEVICES" }) is { } cuda)
        {
            reader.Error(cuda, "trainer.env.CUDA_VISIBLE_DEVICES", "devices give each worker its CUDA_VISIBLE_DEVICES; setting it here would give every worker the same");
        }

        if (serve is true && command is { } served)
        {
            // A worker is started once for many runs: what differs by run comes in each run's JSON, never in argv.
            var list = (YamlSequenceNode)NodeReader.Child(map, "command")!;
            for (var k = 0; k < served.Command.Count; k++)
            {
                if (Placeholders.Names(served.Command[k]).Names is { Count: > 0 } names)
                {
                    reader.Error(list.Children[k], $"trainer.command[{k}]", $"a serving command is started once for many runs: {{{names[0]}}} belongs to one run; each run's values come in its JSON on stdin");
                    command = null;
                }
            }
        }

        if (command is not { } resolved || inputs is null || retries is null || environment is null || metrics is null
            || serve is null || batch is null || devices is null || perDevice is null)
        {
            return null;
        }

        return new TrainerSpec
        {
            Command = resolved.Command,
            Program = resolved.Program,
            WorkingDirectory = reader.BaseDirectory,
            Inputs = inputs,
            Timeout = timeout,
            Retries = retries.Value,
            Environment = environment,
            Metrics = metrics,
            Serve = serve.Value,
            Batch = batch.Value,
            Devices = devices,
            WorkersPerDevice = perDevice.Value,
        };
    }

    /// <summary>The keys only a serving command takes.</summary>
    private static readonly string[] ServeKeys = ["batch", "devices", "workers_per_device"];

    /// <summary>The devices <c>auto</c> reads, in order.</summary>
    private static readonly string[] GpuVariables = ["CUDA_VISIBLE_DEVICES", "SLURM_STEP_GPUS", "SLURM_JOB_GPUS"];

    /// <summary>Runs a batch may hold at most.</summary>
    private const int MaxBatch = 100_000;

    private static bool? Flag(NodeReader reader, YamlNode node, string key)
    {
        if (node is YamlScalarNode { Value: "true" or "false" } flag)
        {
            return flag.Value == "true";
        }

        reader.Error(node, key, "expected true or false");
        return null;
    }

    /// <summary>
    /// <c>devices:</c> as a list of ids, or <c>auto</c>: the GPUs this task was given (<c>CUDA_VISIBLE_DEVICES</c>, or
    /// Slurm's <c>SLURM_STEP_GPUS</c>/<c>SLURM_JOB_GPUS</c>); an error when none are.
    /// </summary>
    private static List<string>? Devices(NodeReader reader, YamlNode node)
    {
        if (node is YamlScalarNode { Value: "auto" })
        {
            // The first variable that is set decides, empty or not: CUDA_VISIBLE_DEVICES= means no GPU is visible.
            var (name, given) = GpuVariables.Select(v => (v, System.Environment.GetEnvironmentVariable(v))).FirstOrDefault(p => p.Item2 is not null);
            if (given is null)
            {
                reader.Error(node, "trainer.devices", "auto found no GPUs (CUDA_VISIBLE_DEVICES, SLURM_STEP_GPUS and SLURM_JOB_GPUS are unset); list the devices, or leave devices out");
                return null;
            }

            var ids = given.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (ids.Length == 0 || ids.Any(id => id.StartsWith('-')))
            {
                reader.Error(node, "trainer.devices", $"auto found no GPUs: {name} is '{given}', which hides every GPU; list the devices, or leave devices out");
                return null;
            }

            return [.. ids];
        }

        if (node is not YamlSequenceNode { Children.Count: > 0 } list)
        {
            reader.Error(node, "trainer.devices", "expected a list of device ids ([0, 1]) or auto");
            return null;
        }

        var devices = new List<string>();
        foreach (var (item, i) in list.Children.Select((n, i) => (n, i)))
        {
            if (item is not YamlScalarNode { Value: { Length: > 0 } id } || !DeviceId().IsMatch(id))
            {
                reader.Error(item, $"trainer.devices[{i}]", "a device id is a number or a name of letters, digits, '-' and ':' (as CUDA_VISIBLE_DEVICES takes it)");
                return null;
            }

            if (devices.Contains(id))
            {
                reader.Error(item, $"trainer.devices[{i}]", $"device {id} is listed twice; use workers_per_device for more workers on one device");
                return null;
            }

            devices.Add(id);
        }

        return devices;
    }

    [GeneratedRegex("^[A-Za-z0-9:-]{1,64}$")]
    private static partial Regex DeviceId();

    private static (List<string> Command, string Program)? Command(NodeReader reader, YamlNode node, IReadOnlyCollection<string> parameters)
    {
        if (node is not YamlSequenceNode { Children.Count: > 0 } list)
        {
            reader.Error(node, "trainer.command", node is YamlSequenceNode
                ? "the command is empty; give the program, then each argument"
                : "expected the command as a list: the program, then each argument (no shell runs it)");
            return null;
        }

        var known = new HashSet<string>([.. Placeholders.BuiltIn, .. parameters]);
        var command = new List<string>();
        var ok = true;
        for (var i = 0; i < list.Children.Count; i++)
        {
            var item = list.Children[i];
            var key = $"trainer.command[{i}]";
            if (item is not YamlScalarNode || reader.String(item, key) is not { } argument)
            {
                if (item is not YamlScalarNode)
                {
                    reader.Error(item, key, "each part of the command is one text");
                }

                ok = false;
                continue;
            }

            if (!Plain(reader, item, key, argument))
            {
                ok = false;
                continue;
            }

            var (names, error) = Placeholders.Names(argument);
            if (error is not null)
            {
                reader.Error(item, key, error);
                ok = false;
            }
            else if (i == 0 && names.Count > 0)
            {
                reader.Error(item, key, "the program cannot be a placeholder; runs differ in their arguments, not in what runs them");
                ok = false;
            }

            foreach (var name in names.Where(n => !known.Contains(n)).Distinct())
            {
                reader.Error(item, key, $"unknown placeholder {{{name}}}; a run has: {string.Join(", ", known.Select(k => $"{{{k}}}"))}");
                ok = false;
            }

            if (i > 0 && names.Count == 0 && IsScript(argument) && !File.Exists(Resolve(reader, argument)))
            {
                reader.Error(item, key, $"script '{argument}' does not exist (looked for {Resolve(reader, argument)})");
                ok = false;
            }

            command.Add(argument);
        }

        var program = command.Count > 0 && ok ? Program(reader, list.Children[0], command[0]) : null;
        return ok && program is not null ? (command, program) : null;
    }

    /// <summary>
    /// The program as a file that can be run: a path (relative to the config's folder), or a name found on PATH.
    /// </summary>
    private static string? Program(NodeReader reader, YamlNode node, string name)
    {
        if (name.Contains('/', StringComparison.Ordinal))
        {
            var path = Resolve(reader, name);
            if (!File.Exists(path))
            {
                reader.Error(node, "trainer.command[0]", $"program '{name}' does not exist (looked for {path})");
                return null;
            }

            if (!IsExecutable(path))
            {
                reader.Error(node, "trainer.command[0]", $"program '{name}' is not executable ({path})");
                return null;
            }

            return path;
        }

        // Found once, made absolute, and run by that path: a relative entry of PATH (".", "bin") would otherwise name
        // one file here and another in the command's working directory.
        var path2 = (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.GetFullPath(Path.Combine(folder, name)))
            .FirstOrDefault(candidate => File.Exists(candidate) && IsExecutable(candidate));
        if (path2 is null)
        {
            reader.Error(node, "trainer.command[0]", $"program '{name}' is not on PATH; install it or give its path");
        }

        return path2;
    }

    private static List<TrainerInput>? Inputs(NodeReader reader, YamlNode node)
    {
        var inputs = new List<TrainerInput>();
        var ok = true;
        foreach (var (item, i) in reader.ScalarOrList(node, "trainer.inputs").Select((n, i) => (n, i)))
        {
            var key = node is YamlSequenceNode ? $"trainer.inputs[{i}]" : "trainer.inputs";
            if (reader.String(item, key) is not { } given || !Plain(reader, item, key, given))
            {
                ok = false;
                continue;
            }

            var path = Resolve(reader, given);
            if (inputs.Any(x => x.Resolved == path))
            {
                reader.Error(item, key, $"input '{given}' is listed twice");
                ok = false;
            }
            else if (!File.Exists(path))
            {
                reader.Error(item, key, Directory.Exists(path)
                    ? $"input '{given}' is a folder; list the files in it that define the runs"
                    : $"input '{given}' does not exist (looked for {path})");
                ok = false;
            }
            else if (FileKind.IsRegular(path) == false)
            {
                reader.Error(item, key, $"input '{given}' is not a regular file");
                ok = false;
            }
            else
            {
                try
                {
                    using var stream = File.OpenRead(path);
                    inputs.Add(new TrainerInput(given, path, Convert.ToHexStringLower(SHA256.HashData(stream))));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    reader.Error(item, key, $"cannot read input '{given}': {e.Message}");
                    ok = false;
                }
            }
        }

        return ok ? inputs : null;
    }

    /// <summary>
    /// Seconds as a number, or a number with a unit (<c>500ms</c>, <c>30s</c>, <c>10m</c>, <c>2h</c>); <c>none</c> for
    /// no limit.
    /// </summary>
    private static TimeSpan? Timeout(NodeReader reader, YamlNode node)
    {
        if (NodeReader.IsNone(node))
        {
            return null;
        }

        var text = (node as YamlScalarNode)?.Value ?? "";
        var match = Duration().Match(text);
        if (!match.Success || !double.TryParse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount))
        {
            reader.Error(node, "trainer.timeout", $"'{text}' is not a duration; write seconds (600), or 500ms, 30s, 10m, 2h, or none");
            return TrainerSpec.DefaultTimeout;
        }

        if (!(amount > 0))
        {
            reader.Error(node, "trainer.timeout", $"'{text}' is no time at all; a timeout is more than 0 (or none, for no limit)");
            return TrainerSpec.DefaultTimeout;
        }

        var seconds = match.Groups[2].Value switch
        {
            "ms" => amount / 1000,
            "m" => amount * 60,
            "h" => amount * 3600,
            _ => amount,
        };
        return seconds <= TimeSpan.MaxValue.TotalSeconds / 2 ? TimeSpan.FromSeconds(seconds) : null;
    }

    private static List<KeyValuePair<string, string>>? Environment(NodeReader reader, YamlNode node)
    {
        if (reader.Mapping(node, "trainer.env", null) is not { } map)
        {
            return null;
        }

        var entries = new List<KeyValuePair<string, string>>();
        foreach (var (k, v) in map.Children)
        {
            var name = ((YamlScalarNode)k).Value ?? "";
            var key = $"trainer.env.{name}";
            if (!EnvironmentName().IsMatch(name) || name.StartsWith("GDSWEEPS_", StringComparison.Ordinal))
            {
                reader.Error(k, key, "a variable's name is letters, digits and '_', not starting with a digit; GDSWEEPS_ names are the run's own");
            }
            else if (v is YamlScalarNode { Value: { } value })
            {
                if (Plain(reader, v, key, value))
                {
                    entries.Add(new(name, value));
                }
            }
            else
            {
                reader.Error(v, key, "a variable's value is one text");
            }
        }

        return entries;
    }

    private static List<string>? Metrics(NodeReader reader, YamlNode node)
    {
        var metrics = new List<string>();
        foreach (var (item, i) in reader.ScalarOrList(node, "trainer.metrics").Select((n, i) => (n, i)))
        {
            var key = node is YamlSequenceNode ? $"trainer.metrics[{i}]" : "trainer.metrics";
            if (reader.String(item, key) is not { } name)
            {
                continue;
            }

            if (!MetricName().IsMatch(name) || Reserved.Contains(name))
            {
                reader.Error(item, key, Reserved.Contains(name)
                    ? $"'{name}' is part of the protocol already"
                    : "a metric's name is lower-case letters, digits and '_', starting with a letter (at most 40)");
            }
            else if (metrics.Contains(name))
            {
                reader.Error(item, key, $"metric '{name}' is listed twice");
            }
            else
            {
                metrics.Add(name);
            }
        }

        return metrics;
    }

    /// <summary>No NUL character: no argument, path or variable of a process can hold one (they end at it).</summary>
    internal static bool Plain(NodeReader reader, YamlNode node, string key, string text)
    {
        if (!text.Contains('\0', StringComparison.Ordinal))
        {
            return true;
        }

        reader.Error(node, key, "a NUL character cannot be part of an argument, a path or a variable");
        return false;
    }

    private static bool IsScript(string argument) =>
        !argument.StartsWith('-') && ScriptExtensions.Any(e => argument.EndsWith(e, StringComparison.OrdinalIgnoreCase));

    private static string Resolve(NodeReader reader, string path) => Path.GetFullPath(Path.Combine(reader.BaseDirectory, path));

    private static bool IsExecutable(string path) =>
        OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;

    private static (List<string> Command, string Program)? Missing(NodeReader reader, YamlNode node, string key)
    {
        reader.Error(node, key, "required key is missing");
        return null;
    }

    [GeneratedRegex(@"^\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*(ms|s|m|h)?\s*$")]
    private static partial Regex Duration();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvironmentName();

    [GeneratedRegex("^[a-z][a-z0-9_]{0,39}$")]
    private static partial Regex MetricName();
}
