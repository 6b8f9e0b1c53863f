using System.Globalization;
using System.Text.Json.Nodes;
using GdSweeps.Data;
using YamlDotNet.RepresentationModel;

namespace GdSweeps.Configs.Axes;

/// <summary>The <c>datasets</c> axis: inline arrays, CSV files (relative to the config) and generated data.</summary>
/// <remarks>A dataset's identity is its name and the fingerprint of its values: renaming it relabels its runs, so they
/// run again.</remarks>
internal sealed class DatasetAxis(NodeReader reader)
{
    private static readonly string[] Keys = ["name", "x", "y", "csv", "missing", "generate"];
    private static readonly string[] GenerateKeys = ["x", "a", "b", "noise", "seed", "scale"];
    private static readonly string[] MissingModes = ["error", "drop"];
    private static readonly string[] LineKeys = ["a", "b"];
    private static readonly string[] UniformKeys = ["from", "to", "count"];
    private static readonly string[] NormalKeys = ["mean", "std", "count"];

    public static AxisKind<Dataset> Kind { get; } = new(
        "datasets",
        DatasetSchema.Axis(Keys, GenerateKeys, MissingModes, LineKeys, UniformKeys, NormalKeys),
        (reader, node) => new DatasetAxis(reader).ReadAll(node),
        (reader, node, key) => reader.String(node, key) is { } name ? d => d.Name == name : null,
        d => d.Name,
        new AxisStore(
            [
                AxisColumns.Text<Dataset>("dataset", d => d.Name, "dataset name"),
                AxisColumns.Text<Dataset>("dataset_fingerprint", d => d.Fingerprint, "16 hex digits of SHA-256 over the raw x and y"),
                AxisColumns.Value<Dataset, int>("samples", d => d.Count, "n"),
                AxisColumns.Value<Dataset, int>("features", d => d.Features, "d"),
            ],
            ["dataset"],
            Header: "dataset"),
        d => $"{d.Name}:{d.Fingerprint}");

    private List<(Dataset Value, YamlNode Node, string Key)> ReadAll(YamlNode node)
    {
        var datasets = new List<(Dataset, YamlNode, string)>();
        var items = reader.ScalarOrList(node, "datasets");
        for (var i = 0; i < items.Count; i++)
        {
            var key = $"datasets[{i}]";
            datasets.AddRange(Read(items[i], key).Select(d => (d, items[i], key)));
        }

        foreach (var duplicate in datasets.GroupBy(d => d.Item1.Name).Where(g => g.Count() > 1))
        {
            reader.Error(node, "datasets", $"dataset name '{duplicate.Key}' is used twice");
        }

        return [.. datasets.DistinctBy(d => d.Item1.Name)];
    }

    private List<Dataset> Read(YamlNode node, string key)
    {
        if (reader.Mapping(node, key, Keys) is not { } map)
        {
            return [];
        }

        var name = NodeReader.Child(map, "name") is { } n ? reader.String(n, key + ".name") : Missing(map, key + ".name");
        if (name is not null && name.Any(char.IsControl))
        {
            // A name is a table cell, a label, a placeholder's value: a NUL ends it in a command's argument, a line end
            // splits a table's row.
            reader.Error(NodeReader.Child(map, "name")!, key + ".name", "a dataset's name cannot hold a control character (a NUL, a tab or a line end)");
            return [];
        }

        var csv = NodeReader.Child(map, "csv");
        var generate = NodeReader.Child(map, "generate");
        if (csv is not null && generate is not null)
        {
            reader.Error(map, key, "a dataset has one source: 'csv', 'generate', or inline 'x' and 'y'");
            return [];
        }

        if (name is null)
        {
            return [];
        }

        if (csv is not null)
        {
            return Csv(map, csv, name, key) is { } d ? [d] : [];
        }

        if (generate is not null)
        {
            return Generated(generate, name, key + ".generate");
        }

        return Inline(map, name, key) is { } inline ? [inline] : [];
    }

    private Dataset? Inline(YamlMappingNode map, string name, string key)
    {
        var xNode = NodeReader.Child(map, "x");
        var yNode = NodeReader.Child(map, "y");
        if (xNode is null || yNode is null)
        {
            Missing(map, key + (xNode is null ? ".x" : ".y"));
            return null;
        }

        if (NodeReader.Child(map, "missing") is { } m)
        {
            reader.Error(m, key + ".missing", "'missing' applies to CSV datasets only");
        }

                double[]? x;
        var features = 1;
        if (xNode is YamlSequenceNode { Children: [YamlSequenceNode first, ..] } rows)
        {
            features = first.Children.Count;
            var flat = new List<double>();
            for (var i = 0; i < rows.Children.Count; i++)
            {
                var row = reader.NumberList(rows.Children[i], $"{key}.x[{i}]");
                if (row.Count != features)
                {
                    reader.Error(rows.Children[i], $"{key}.x[{i}]", $"has {row.Count} features, the first row has {features}");
                }

                flat.AddRange(row);
            }

            x = [.. flat];
        }
        else
        {
            x = [.. reader.NumberList(xNode, key + ".x")];
        }

        double[]? y;
        if (yNode is YamlMappingNode)
        {
            if (reader.Mapping(yNode, key + ".y", LineKeys) is not { } ab)
            {
                return null;
            }

            var a = NodeReader.Child(ab, "a") is { } an ? reader.Double(an, key + ".y.a") : 1.0;
            var b = NodeReader.Child(ab, "b") is { } bn ? reader.Double(bn, key + ".y.b") : 0.0;
            if (a is null || b is null || features != 1)
            {
                if (features != 1)
                {
                    reader.Error(yNode, key + ".y", "y = {a, b} needs a single feature");
                }

                return null;
            }

            y = Array.ConvertAll(x, v => (a.Value * v) + b.Value);
        }
        else
        {
            y = [.. reader.NumberList(yNode, key + ".y")];
        }

        if (x.Length == 0 || y.Length == 0 || x.Length != y.Length * features)
        {
            if (x.Length > 0 && y.Length > 0)
            {
                reader.Error(yNode, key + ".y", $"has {y.Length} values but x has {x.Length / features}");
            }

            return null;
        }

        return new Dataset(name, x, features, y);
    }

    private Dataset? Csv(YamlMappingNode map, YamlNode csvNode, string name, string key)
    {
        var file = reader.String(csvNode, key + ".csv");
        var xNode = NodeReader.Child(map, "x");
        var yNode = NodeReader.Child(map, "y");
        if (xNode is null || yNode is null)
        {
            Missing(map, key + (xNode is null ? ".x" : ".y"));
            return null;
        }

        var xColumns = new List<string>();
        foreach (var (item, i) in reader.ScalarOrList(xNode, key + ".x").Select((n, i) => (n, i)))
        {
            if (reader.String(item, $"{key}.x[{i}]") is { } column)
            {
                xColumns.Add(column);
            }
        }

        var yColumn = reader.String(yNode, key + ".y");
        var missing = NodeReader.Child(map, "missing") is { } m ? reader.Choice(m, key + ".missing", MissingModes) : "error";
        if (file is null || yColumn is null || xColumns.Count == 0 || missing is null)
        {
            return null;
        }

        var path = Path.GetFullPath(Path.Combine(reader.BaseDirectory, file));
        reader.Files.Add((file, path));
        if (!File.Exists(path))
        {
            reader.Error(csvNode, key + ".csv", $"file '{file}' does not exist (looked for {path})");
            return null;
        }

        var options = new CsvOptions { DropMissing = missing == "drop", MaxBytes = reader.MaxCsvBytes, QuoteText = InFolder(path, reader.BaseDirectory) };
        try
        {
            return CsvTable.Load(name, path, xColumns, yColumn, options, reader.Cancellation);
        }
        catch (DataException e)
        {
            foreach (var d in e.Errors)
            {
                var hint = d.Message.Contains("size limit", StringComparison.Ordinal) ? " (max_csv_mb sets the limit)" : "";
                if (d.Line == 0)
                {
                    // About the file as a whole (not a regular file, too large, unreadable): placed where the config names it.
                    reader.Error(csvNode, key + ".csv", $"file '{file}': {d.Message}{hint}");
                }
                else
                {
                    reader.Errors.Add(new ConfigError(d.File, d.Line, d.Column, d.Key, d.Message + hint));
                }
            }

            return null;
        }
    }

    /// <summary>
    /// Whether <paramref name="path"/> (after following a link) lies in the config's folder: errors about other files
    /// do not quote them.
    /// </summary>
    private static bool InFolder(string path, string folder)
    {
        try
        {
            var target = File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
            return target.StartsWith(Path.TrimEndingDirectorySeparator(folder) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    private List<Dataset> Generated(YamlNode node, string name, string key)
    {
        if (reader.Mapping(node, key, GenerateKeys) is not { } map)
        {
            return [];
        }

                var source = NodeReader.Child(map, "x") is { } xNode ? XSource(xNode, key + ".x") : MissingSource(map, key + ".x");
        double Number(string k, double fallback) => NodeReader.Child(map, k) is { } n ? reader.Double(n, $"{key}.{k}") ?? fallback : fallback;
        var a = Number("a", 1);
        var b = Number("b", 0);
        var noise = Number("noise", 0);
        if (noise < 0)
        {
            reader.Error(NodeReader.Child(map, "noise")!, key + ".noise", "must be >= 0");
        }

        var seed = NodeReader.Child(map, "seed") is { } s ? reader.Int(s, key + ".seed", 0) ?? 0 : 0;
        var scales = NodeReader.Child(map, "scale") is { } sc ? reader.NumberList(sc, key + ".scale") : [1.0];
        if (source is null)
        {
            return [];
        }

        return scales.Select(scale => Generator.Generate(
            scales.Count == 1 ? name : string.Create(CultureInfo.InvariantCulture, $"{name}[scale={scale:G6}]"),
            source, scale, a, b, noise, seed)).ToList();
    }

    private XSource? XSource(YamlNode node, string key)
    {
        if (node is YamlMappingNode m && (NodeReader.Child(m, "uniform") ?? NodeReader.Child(m, "normal")) is { } draw)
        {
            var uniform = NodeReader.Child(m, "uniform") is not null;
            var drawKey = key + (uniform ? ".uniform" : ".normal");
            if (m.Children.Count != 1 || reader.Mapping(draw, drawKey, uniform ? UniformKeys : NormalKeys) is not { } dm)
            {
                reader.Error(node, key, "x is one of: a list, {logspace: ...}, {linspace: ...}, {uniform: {from, to, count}}, {normal: {mean, std, count}}");
                return null;
            }

            double? Get(string k, double? fallback) => NodeReader.Child(dm, k) is { } n ? reader.Double(n, $"{drawKey}.{k}") : fallback ?? Fail(k);
            double? Fail(string k)
            {
                reader.Error(draw, $"{drawKey}.{k}", "required key is missing");
                return null;
            }

            var count = NodeReader.Child(dm, "count") is { } c ? reader.Int(c, drawKey + ".count", 1, 100_000_000) : (int?)Fail("count");
            var p1 = uniform ? Get("from", null) : Get("mean", 0);
            var p2 = uniform ? Get("to", null) : Get("std", 1);
            if (count is null || p1 is null || p2 is null)
            {
                return null;
            }

            return uniform ? new XSource.Uniform(p1.Value, p2.Value, count.Value) : new XSource.Normal(p1.Value, p2.Value, count.Value);
        }

        var values = reader.NumberList(node, key);
        return values.Count > 0 ? new XSource.Values([.. values]) : null;
    }

    private XSource? MissingSource(YamlNode node, string key)
    {
        reader.Error(node, key, "required key is missing");
        return null;
    }

    private string? Missing(YamlNode node, string key)
    {
        reader.Error(node, key, "required key is missing");
        return null;
    }
}
