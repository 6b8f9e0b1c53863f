using System.Globalization;
using System.Text;
using System.Text.Json;

namespace GdSweeps.Commands;

/// <summary>
/// Reads the protocol's lines: JSON objects of numbers, one a line. Python's <c>json.dumps</c> writes a non-finite
/// float
/// as a bare <c>NaN</c>, <c>Infinity</c> or <c>-Infinity</c>, which JSON does not allow; a diverging run prints exactly
/// those, so they are read as the numbers they mean.
/// </summary>
internal static class Protocol
{
    /// <summary>
    /// The numbers a step line may carry besides <c>step</c> and <c>loss</c>, whatever the config declares.
    /// </summary>
    public static IReadOnlyList<string> StepNumbers { get; } = ["grad_norm", "sharpness"];

    /// <summary>
    /// What the final line may carry besides the declared metrics: the final loss in the original units of y.
    /// </summary>
    public const string LossOriginal = "loss_original";

    /// <summary>
    /// Whether a line of stdout is meant as the protocol: its first character that is not a space is <c>{</c>.
    /// </summary>
    public static bool IsProtocol(string line) => line.AsSpan().TrimStart().StartsWith("{", StringComparison.Ordinal);

    /// <summary>Parses one protocol line.</summary>
    /// <param name="metrics">The other numbers the config declares.</param>
    /// <exception cref="ProtocolException">The line is not a JSON object of numbers, or names a number nobody
    /// declared.</exception>
    public static ProtocolLine Parse(string line, IReadOnlyCollection<string> metrics)
    {
        using var document = Document(line);
        return Parse(document.RootElement, metrics, skip: null);
    }

    /// <summary>
    /// Parses one line of a worker (<c>trainer.serve</c>): a run's protocol line, tagged with its run's id as
    /// <c>"run"</c> (required when <paramref name="batched"/>), or the end of a run, <c>{"end": "RUN_ID"}</c> with an
    /// optional <c>"error"</c> when the worker could not train it.
    /// </summary>
    /// <exception cref="ProtocolException">The line breaks the protocol.</exception>
    public static WorkerLine ParseWorker(string line, IReadOnlyCollection<string> metrics, bool batched)
    {
        using var document = Document(line);
        var root = document.RootElement;
        if (root.TryGetProperty("end", out var end))
        {
            string? error = null;
            foreach (var property in root.EnumerateObject().Where(p => p.Name != "end"))
            {
                if (property.Name == "run" && property.Value.ValueKind == JsonValueKind.String && end.ValueKind == JsonValueKind.String
                    && property.Value.GetString() == end.GetString())
                {
                    continue; // tagged like every other line of a batch: the same run
                }

                error = property.Name == "error" && property.Value.ValueKind is JsonValueKind.String or JsonValueKind.Null
                    ? property.Value.GetString()
                    : throw new ProtocolException($"an end line is {{\"end\": \"RUN_ID\"}}, with an \"error\" text (and \"run\", the same id) at most; got \"{property.Name}\"");
            }

            return end.ValueKind == JsonValueKind.String
                ? new WorkerLine(end.GetString(), null, End: true, error)
                : throw new ProtocolException($"\"end\" must be the run's id, got {end.GetRawText()}");
        }

        string? run = null;
        if (root.TryGetProperty("run", out var tag))
        {
            run = tag.ValueKind == JsonValueKind.String ? tag.GetString() : throw new ProtocolException($"\"run\" must be the run's id, got {tag.GetRawText()}");
        }
        else if (batched)
        {
            throw new ProtocolException("a batch's lines carry \"run\": the id of the run they report");
        }

        return new WorkerLine(run, Parse(root, metrics, skip: "run"), End: false, null);
    }

    private static JsonDocument Document(string line)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(QuoteNonFinite(line), new JsonDocumentOptions { MaxDepth = 3 });
        }
        catch (JsonException e)
        {
            throw new ProtocolException($"not a JSON object: {e.Message}");
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new ProtocolException("not a JSON object");
        }

        return document;
    }

    /// <param name="skip">A key read elsewhere (a worker's <c>run</c> tag), not a number of the line.</param>
    private static ProtocolLine Parse(JsonElement root, IReadOnlyCollection<string> metrics, string? skip)
    {
        if (root.TryGetProperty("final", out var final))
        {
            if (root.EnumerateObject().Count(p => p.Name != skip) != 1 || final.ValueKind != JsonValueKind.Object)
            {
                throw new ProtocolException("the final line is {\"final\": {name: number, ...}} alone");
            }

            return new ProtocolLine(null, double.NaN, Numbers(final, name => name == LossOriginal || metrics.Contains(name), "final.", null));
        }

        if (!root.TryGetProperty("step", out var stepValue) || !root.TryGetProperty("loss", out var lossValue))
        {
            throw new ProtocolException("a step line needs \"step\" and \"loss\"");
        }

        var step = Number(stepValue, "step") is { } s && s >= 0 && s <= int.MaxValue && Math.Floor(s) == s
            ? (int)s
            : throw new ProtocolException($"\"step\" must be a whole number >= 0, got {stepValue.GetRawText()}");
        var loss = Number(lossValue, "loss") ?? throw new ProtocolException("\"loss\" must be a number, got null");
        var numbers = Numbers(root, name => name is "step" or "loss" || StepNumbers.Contains(name) || metrics.Contains(name), "", skip);
        numbers.Remove("step");
        numbers.Remove("loss");

        // A norm is finite and never negative, a sharpness finite: anything else is a broken measurement, not a
        // divergence (which the loss tells).
        if (numbers.GetValueOrDefault("grad_norm") is { } norm && !(norm >= 0 && double.IsFinite(norm)))
        {
            throw new ProtocolException($"\"grad_norm\" must be a finite number >= 0, got {Text(norm)}");
        }

        if (numbers.GetValueOrDefault("sharpness") is { } sharpness && !double.IsFinite(sharpness))
        {
            throw new ProtocolException($"\"sharpness\" must be a finite number, got {Text(sharpness)}");
        }

        return new ProtocolLine(step, loss, numbers);
    }

    private static string Text(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static Dictionary<string, double?> Numbers(JsonElement obj, Func<string, bool> allowed, string prefix, string? skip)
    {
        var numbers = new Dictionary<string, double?>(StringComparer.Ordinal);
        foreach (var property in obj.EnumerateObject().Where(p => p.Name != skip))
        {
            if (!allowed(property.Name))
            {
                throw new ProtocolException($"\"{prefix}{property.Name}\" is not part of the protocol; declare it under trainer.metrics to store it");
            }

            if (!numbers.TryAdd(property.Name, Number(property.Value, prefix + property.Name)))
            {
                throw new ProtocolException($"\"{prefix}{property.Name}\" is given twice");
            }
        }

        return numbers;
    }

    private static double? Number(JsonElement value, string name) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.Number when double.TryParse(value.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) => v,
        JsonValueKind.String when value.GetString() is "NaN" or "Infinity" or "-Infinity" => double.Parse(value.GetString()!, CultureInfo.InvariantCulture),
        _ => throw new ProtocolException($"\"{name}\" must be a number, got {value.GetRawText()}"),
    };

    /// <summary>
    /// Puts quotes around bare <c>NaN</c>, <c>Infinity</c> and <c>-Infinity</c> outside strings, so a JSON reader takes
    /// them.
    /// </summary>
    internal static string QuoteNonFinite(string line)
    {
        if (!line.Contains("NaN", StringComparison.Ordinal) && !line.Contains("Infinity", StringComparison.Ordinal))
        {
            return line;
        }

        var text = new StringBuilder(line.Length + 8);
        var inString = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (inString)
            {
                text.Append(c);
                if (c == '\\' && i + 1 < line.Length)
                {
                    text.Append(line[++i]);
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            var token = line.AsSpan(i) switch
            {
                var rest when rest.StartsWith("NaN", StringComparison.Ordinal) => "NaN",
                var rest when rest.StartsWith("-Infinity", StringComparison.Ordinal) => "-Infinity",
                var rest when rest.StartsWith("Infinity", StringComparison.Ordinal) => "Infinity",
                _ => null,
            };
            if (token is not null)
            {
                text.Append('"').Append(token).Append('"');
                i += token.Length - 1;
                continue;
            }

            inString = c == '"';
            text.Append(c);
        }

        return text.ToString();
    }
}
