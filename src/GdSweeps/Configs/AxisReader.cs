using GdSweeps.Training;
using GdSweeps.Transforms;
using YamlDotNet.RepresentationModel;

namespace GdSweeps.Configs;

/// <summary>Reads the value lists of a config's axes. Every axis takes one value or a list of values.</summary>
internal sealed class AxisReader(NodeReader reader)
{
    /// <summary>Reads each item of an axis; the key of item i is <c>key[i]</c> when the axis is a list.</summary>
    public List<T> Axis<T>(YamlNode node, string key, Func<YamlNode, string, T?> read)
    {
        var values = new List<T>();
        var items = reader.ScalarOrList(node, key);
        for (var i = 0; i < items.Count; i++)
        {
            var value = read(items[i], node is YamlSequenceNode ? $"{key}[{i}]" : key);
            if (value is not null)
            {
                values.Add(value);
            }
        }

        return values;
    }

    /// <summary>A number, a list of numbers, or a range: <c>{logspace: {from, to, per_decade | count}}</c> or <c>{linspace: {from, to, count}}</c>.</summary>
    public List<double> Numbers(YamlNode node, string key)
    {
        if (node is YamlMappingNode)
        {
            return Range(node, key)?.ToList() ?? [];
        }

        var values = new List<double>();
        var items = reader.ScalarOrList(node, key);
        for (var i = 0; i < items.Count; i++)
        {
            if (reader.Double(items[i], node is YamlSequenceNode ? $"{key}[{i}]" : key) is { } v)
            {
                values.Add(v);
            }
        }

        return values;
    }

    public List<int> Ints(YamlNode node, string key, int min, int max = int.MaxValue)
    {
        var values = new List<int>();
        var items = reader.ScalarOrList(node, key);
        for (var i = 0; i < items.Count; i++)
        {
            if (reader.Int(items[i], node is YamlSequenceNode ? $"{key}[{i}]" : key, min, max) is { } v)
            {
                values.Add(v);
            }
        }

        return values;
    }

    public double? Positive(YamlNode node, string key)
    {
        var value = reader.Double(node, key);
        if (value is <= 0)
        {
            reader.Error(node, key, $"must be > 0, got {value}");
            return null;
        }

        return value;
    }

    public string? Choice(YamlNode node, string key, IReadOnlyCollection<string> allowed)
    {
        var value = reader.String(node, key);
        if (value is not null && !allowed.Contains(value))
        {
            reader.Error(node, key, $"unknown value '{value}'; expected one of: {string.Join(", ", allowed)}");
            return null;
        }

        return value;
    }

    public List<double> LearningRates(YamlNode node)
    {
        var values = Numbers(node, "learning_rates");
        foreach (var lr in values.Where(lr => lr <= 0).Distinct())
        {
            reader.Error(node, "learning_rates", $"every learning rate must be > 0, found {lr}");
        }

        return values;
    }

    /// <summary>Each value: a name, a pipeline <c>[log1p, standardize]</c>, or <c>{x: ..., y: ...}</c> for different features and target.</summary>
    public List<TransformSpec> Transforms(YamlNode node)
    {
        var seen = new HashSet<string>();
        return Axis(node, "transforms", (item, key) =>
        {
            TransformSpec? spec;
            if (item is YamlMappingNode)
            {
                var map = reader.Mapping(item, key, ["x", "y"]);
                var x = map is not null && NodeReader.Child(map, "x") is { } xn ? Pipeline(xn, key + ".x") : [TransformKind.None];
                var y = map is not null && NodeReader.Child(map, "y") is { } yn ? Pipeline(yn, key + ".y") : [TransformKind.None];
                spec = x is null || y is null ? null : new TransformSpec(x, y);
            }
            else
            {
                var pipeline = Pipeline(item, key);
                spec = pipeline is null ? null : TransformSpec.Both([.. pipeline]);
            }

            if (spec is not null && !seen.Add(spec.Label))
            {
                reader.Error(item, key, $"transform '{spec.Label}' is listed twice");
                return null;
            }

            return spec;
        });
    }

    private List<TransformKind>? Pipeline(YamlNode node, string key)
    {
        var steps = new List<TransformKind>();
        var items = node is YamlSequenceNode seq ? seq.Children : [node];
        if (items.Count == 0)
        {
            reader.Error(node, key, "an empty pipeline; write none for no transform");
            return null;
        }

        var ok = true;
        for (var i = 0; i < items.Count; i++)
        {
            var stepKey = node is YamlSequenceNode ? $"{key}[{i}]" : key;
            if (reader.String(items[i], stepKey) is not { } name)
            {
                ok = false;
            }
            else if (Transform.TryParse(name, out var kind))
            {
                steps.Add(kind);
            }
            else
            {
                reader.Error(items[i], stepKey, $"unknown transform '{name}'; expected one of: {string.Join(", ", Transform.Names)}");
                ok = false;
            }
        }

        return ok ? steps : null;
    }

    public List<ModelKind> Models(YamlNode node) =>
        Axis(node, "model", (item, key) => Choice(item, key, ["linear", "affine"]))
            .Select(name => name == "affine" ? ModelKind.Affine : ModelKind.Linear).ToList();

    /// <summary><c>mse</c>, <c>huber</c> (delta 1), or <c>{huber: {delta: d}}</c>.</summary>
    public List<LossSpec> Losses(YamlNode node) =>
        Axis(node, "loss", (item, key) =>
        {
            if (item is YamlMappingNode)
            {
                if (reader.Mapping(item, key, ["huber"]) is not { } map || NodeReader.Child(map, "huber") is not { } h)
                {
                    return null;
                }

                var delta = reader.Mapping(h, key + ".huber", ["delta"]) is { } hm && NodeReader.Child(hm, "delta") is { } d
                    ? Positive(d, key + ".huber.delta")
                    : 1.0;
                return delta is null ? null : new LossSpec(LossKind.Huber, delta.Value);
            }

            return Choice(item, key, ["mse", "huber"]) switch
            {
                "mse" => LossSpec.Mse,
                "huber" => new LossSpec(LossKind.Huber),
                _ => null,
            };
        });

    /// <summary>Each value: a number for every weight, a list with one per feature, or <c>{normal: {std: s}}</c> drawn from the run's seed.</summary>
    public List<InitSpec> W0(YamlNode node)
    {
        if (node is YamlMappingNode map)
        {
            if (NodeReader.Child(map, "linspace") is not null || NodeReader.Child(map, "logspace") is not null)
            {
                return Numbers(node, "w0").Select(InitSpec.Scalar).ToList();
            }

            return Init(node, "w0") is { } one ? [one] : [];
        }

        return Axis(node, "w0", Init);
    }

    private InitSpec? Init(YamlNode node, string key)
    {
        switch (node)
        {
            case YamlSequenceNode seq:
                var weights = Numbers(seq, key);
                return weights.Count == seq.Children.Count && weights.Count > 0 ? new InitSpec([.. weights], null, 0) : null;
            case YamlMappingNode:
                if (reader.Mapping(node, key, ["normal"]) is not { } map || NodeReader.Child(map, "normal") is not { } normal)
                {
                    return null;
                }

                var std = reader.Mapping(normal, key + ".normal", ["std"]) is { } nm && NodeReader.Child(nm, "std") is { } s
                    ? Positive(s, key + ".normal.std")
                    : 1.0;
                return std is null ? null : new InitSpec(null, std, 0);
            default:
                return reader.Double(node, key) is { } w ? InitSpec.Scalar(w) : null;
        }
    }

    /// <summary>Each value: a name, or <c>{name: {hyperparameter: value or list}}</c>; a list of values makes one optimizer each.</summary>
    public List<OptimizerSpec> Optimizers(YamlNode node)
    {
        var result = new List<OptimizerSpec>();
        foreach (var specs in Axis(node, "optimizer", Optimizer))
        {
            foreach (var spec in specs)
            {
                if (!result.Contains(spec))
                {
                    result.Add(spec);
                }
            }
        }

        return result;
    }

    private List<OptimizerSpec>? Optimizer(YamlNode node, string key)
    {
        string? name;
        YamlNode? parameters = null;
        if (node is YamlMappingNode)
        {
            if (reader.Mapping(node, key, OptimizerSpec.Names) is not { } map)
            {
                return null;
            }

            if (map.Children.Count != 1)
            {
                reader.Error(node, key, "an optimizer with hyperparameters is one name with a mapping, e.g. {adam: {beta1: 0.9}}");
                return null;
            }

            name = ((YamlScalarNode)map.Children.First().Key).Value;
            parameters = map.Children.First().Value;
            if (!OptimizerSpec.Names.Contains(name))
            {
                return null; // reported as an unknown key
            }
        }
        else
        {
            name = Choice(node, key, OptimizerSpec.Names);
        }

        if (name is null)
        {
            return null;
        }

        var kind = (OptimizerKind)OptimizerSpec.Names.ToList().IndexOf(name);
        var combos = new List<Dictionary<string, double>> { new() };
        if (parameters is not null && !NodeReader.IsNone(parameters))
        {
            var allowed = OptimizerSpec.Keys(kind);
            if (reader.Mapping(parameters, $"{key}.{name}", allowed) is not { } map)
            {
                return null;
            }

            foreach (var (k, v) in map.Children)
            {
                var hyper = ((YamlScalarNode)k).Value!;
                var hyperKey = $"{key}.{name}.{hyper}";
                var values = hyper == "batch_size" ? Ints(v, hyperKey, 1).Select(i => (double)i).ToList() : Numbers(v, hyperKey);
                foreach (var value in values)
                {
                    CheckHyperparameter(v, hyperKey, hyper, value);
                }

                combos = [.. combos.SelectMany(c => values.Select(value => new Dictionary<string, double>(c) { [hyper] = value }))];
            }
        }

        return combos.Select(c => OptimizerSpec.WithDefaults(kind, c)).ToList();
    }

    private void CheckHyperparameter(YamlNode node, string key, string name, double value)
    {
        var ok = name switch
        {
            "beta" or "beta1" or "beta2" or "alpha" => value is >= 0 and < 1,
            "eps" => value > 0,
            _ => true,
        };
        if (!ok)
        {
            reader.Error(node, key, name == "eps" ? $"must be > 0, got {value}" : $"must be in [0, 1), got {value}");
        }
    }

    /// <summary><c>constant</c>, <c>{warmup: steps}</c>, <c>{step: {every, gamma}}</c>, or both keys together.</summary>
    public List<ScheduleSpec> Schedules(YamlNode node) =>
        Axis(node, "schedule", (item, key) =>
        {
            if (item is not YamlMappingNode)
            {
                return Choice(item, key, ["constant"]) is null ? null : ScheduleSpec.Constant;
            }

            if (reader.Mapping(item, key, ["warmup", "step"]) is not { } map)
            {
                return null;
            }

            var warmup = NodeReader.Child(map, "warmup") is { } w ? reader.Int(w, key + ".warmup", 1) : null;
            int? every = null;
            double? gamma = null;
            if (NodeReader.Child(map, "step") is { } s && reader.Mapping(s, key + ".step", ["every", "gamma"]) is { } sm)
            {
                every = NodeReader.Child(sm, "every") is { } e ? reader.Int(e, key + ".step.every", 1) : Missing(sm, key + ".step.every");
                gamma = NodeReader.Child(sm, "gamma") is { } g ? Positive(g, key + ".step.gamma") : Missing(sm, key + ".step.gamma");
                if (every is null || gamma is null)
                {
                    return null;
                }
            }

            return new ScheduleSpec(warmup, every, gamma);
        });

    private int? Missing(YamlNode node, string key)
    {
        reader.Error(node, key, "required key is missing");
        return null;
    }

    /// <summary><c>none</c>, a number (a cap on the gradient norm), <c>{norm: c}</c> or <c>{value: c}</c>.</summary>
    public List<ClipSpec?> Clips(YamlNode node) =>
        Axis(node, "clip", (item, key) =>
        {
            if (NodeReader.IsNone(item))
            {
                return new Box<ClipSpec?>(null);
            }

            if (item is YamlMappingNode)
            {
                if (reader.Mapping(item, key, ["norm", "value"]) is not { } map || map.Children.Count != 1)
                {
                    return null;
                }

                var (k, v) = map.Children.First();
                var mode = ((YamlScalarNode)k).Value == "norm" ? ClipMode.Norm : ClipMode.Value;
                return Positive(v, $"{key}.{((YamlScalarNode)k).Value}") is { } c ? new Box<ClipSpec?>(new ClipSpec(mode, c)) : null;
            }

            return Positive(item, key) is { } threshold ? new Box<ClipSpec?>(new ClipSpec(ClipMode.Norm, threshold)) : null;
        }).Select(b => b.Value).ToList();

    /// <summary>A count <c>n</c> (seeds 0 to n-1) or a list of seeds.</summary>
    public List<int> Seeds(YamlNode node) =>
        node is YamlSequenceNode
            ? Ints(node, "seeds", 0)
            : reader.Int(node, "seeds", 1, 1_000_000) is { } n ? [.. Enumerable.Range(0, n)] : [];

    /// <summary><c>true</c> (tolerance 1%), <c>false</c>, a relative tolerance, or <c>{tolerance: t}</c>.</summary>
    public double? Refine(YamlNode node)
    {
        if (node is YamlScalarNode { Value: "true" or "false" } flag)
        {
            return flag.Value == "true" ? 0.01 : null;
        }

        if (node is YamlMappingNode)
        {
            return reader.Mapping(node, "refine", ["tolerance"]) is { } map && NodeReader.Child(map, "tolerance") is { } t
                ? Positive(t, "refine.tolerance")
                : 0.01;
        }

        return Positive(node, "refine");
    }

    private double[]? Range(YamlNode node, string key)
    {
        if (reader.Mapping(node, key, ["logspace", "linspace"]) is not { } map)
        {
            return null;
        }

        if (map.Children.Count != 1)
        {
            reader.Error(node, key, "a range has exactly one of 'logspace' or 'linspace'");
            return null;
        }

        var (kind, spec) = map.Children.First();
        var log = ((YamlScalarNode)kind).Value == "logspace";
        var rangeKey = NodeReader.Join(key, ((YamlScalarNode)kind).Value!);
        string[] keys = log ? ["from", "to", "per_decade", "count"] : ["from", "to", "count"];
        if (reader.Mapping(spec, rangeKey, keys) is not { } range)
        {
            return null;
        }

        double? Get(string k)
        {
            if (NodeReader.Child(range, k) is { } n)
            {
                return reader.Double(n, NodeReader.Join(rangeKey, k));
            }

            reader.Error(spec, NodeReader.Join(rangeKey, k), "required key is missing");
            return null;
        }

        var from = Get("from");
        var to = Get("to");
        var countNode = NodeReader.Child(range, "count");
        var perDecadeNode = log ? NodeReader.Child(range, "per_decade") : null;
        if ((countNode is null) == (perDecadeNode is null))
        {
            reader.Error(spec, rangeKey, log ? "give one of 'count' or 'per_decade'" : "required key 'count' is missing");
            return null;
        }

        var count = countNode is null ? null : reader.Int(countNode, NodeReader.Join(rangeKey, "count"), 1, 10_000_000);
        var perDecade = perDecadeNode is null ? null : reader.Int(perDecadeNode, NodeReader.Join(rangeKey, "per_decade"), 1, 1000);
        if (from is null || to is null || (count is null && perDecade is null))
        {
            return null;
        }

        if (log && (from <= 0 || to <= 0))
        {
            reader.Error(spec, rangeKey, "a logspace needs from > 0 and to > 0");
            return null;
        }

        if (perDecade is not null && to < from)
        {
            reader.Error(spec, rangeKey, "per_decade needs from <= to");
            return null;
        }

        return !log ? Ranges.Linspace(from.Value, to.Value, count!.Value)
            : perDecade is { } k ? Ranges.LogspacePerDecade(from.Value, to.Value, k)
            : Ranges.Logspace(from.Value, to.Value, count!.Value);
    }

    /// <summary>Lets a read return a present null (no clipping) distinct from a failed read.</summary>
    private sealed record Box<T>(T Value);
}
