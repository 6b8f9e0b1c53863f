using GdSweeps.Configs;
using GdSweeps.Data;
using GdSweeps.Plan;
using GdSweeps.Transforms;

namespace GdSweeps.Pipeline;

/// <summary>
/// <c>gdsweeps init</c>: a commented starter config that validates and runs as written, on the seed's two small
/// datasets or on the columns of a CSV file. Its learning rates are chosen to bracket the data's <c>lr_crit</c>.
/// </summary>
internal static class Starter
{
    /// <summary>The CSV file to read the dataset from, and its columns (as named in its header).</summary>
    public sealed record CsvSource(string Path, IReadOnlyList<string> X, string Y);

    /// <summary>The starter cannot be written; the message says why.</summary>
    public sealed class StarterException(string message) : Exception(message);

    /// <summary>
    /// The file name for <c>init NAME</c>: NAME.yaml, or NAME as given when it already ends in .yaml or .yml.
    /// </summary>
    public static string FileFor(string? name)
    {
        name ??= "study";
        return name.EndsWith(".yaml", StringComparison.Ordinal) || name.EndsWith(".yml", StringComparison.Ordinal) ? name : name + ".yaml";
    }

    /// <summary>Writes the starter for <paramref name="name"/> (default <c>study</c>) and returns its path.</summary>
    /// <exception cref="StarterException">The file exists, its folder does not, the name cannot be a sweep's, or the
    /// CSV file or its columns cannot be read.</exception>
    public static string Write(string? name, CsvSource? csv, CancellationToken ct = default)
    {
        var path = FileFor(name);
        var full = Path.GetFullPath(path);
        var sweep = Path.GetFileNameWithoutExtension(full);
        if (!ConfigLoader.IsSafeName(sweep))
        {
            throw new StarterException($"'{sweep}' cannot name a sweep (its results folder): use letters, digits, '.', '_' and '-', not starting with '.'");
        }

        if (File.Exists(full) || Directory.Exists(full))
        {
            throw new StarterException($"{path} already exists; init never overwrites a file: give another name (gdsweeps init NAME) or remove it");
        }

        var folder = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder))
        {
            throw new StarterException($"the folder {Path.GetDirectoryName(path)} does not exist");
        }

        var text = Text(sweep, csv is null ? null : Read(csv, folder, ct), path);

        // What init promises: the file validates as written (the data fits every transform, the grid brackets lr_crit).
        var plan = SweepPlan.Parse(text, full, ct);
        if (Describe.Warnings(plan).FirstOrDefault() is { } warning)
        {
            throw new InvalidOperationException($"the starter does not bracket lr_crit: {warning}");
        }

        try
        {
            using var file = new FileStream(full, FileMode.CreateNew, FileAccess.Write);
            using var writer = new StreamWriter(file);
            writer.Write(text);
        }
        catch (IOException e) when (File.Exists(full))
        {
            throw new StarterException($"{path} already exists; init never overwrites a file ({e.Message})");
        }

        return path;
    }

    /// <summary>The starter's text: <paramref name="csv"/>'s dataset, or the seed's two when null.</summary>
    internal static string Text(string sweep, StarterCsv? csv, string path)
    {
        var datasets = csv is null
            ? [new Dataset("x1to100", [1, 100], [2, 200]), new Dataset("x1to10", [1, 10], [2, 20])]
            : new[] { csv.Dataset };
        var model = csv is null ? ModelKind.Linear : ModelKind.Affine;
        TransformKind[][] candidates = csv is null
            ? [[TransformKind.None], [TransformKind.Log1p]]
            : [[TransformKind.None], [TransformKind.Standardize], [TransformKind.Log1p, TransformKind.Standardize]];

        // Only the transforms every dataset admits, so the config validates; none always does.
        var bounds = new List<double>();
        var transforms = new List<TransformKind[]>();
        foreach (var pipeline in candidates)
        {
            try
            {
                var problems = datasets.Select(d => new Problem(d, TransformSpec.Both(pipeline), model, LossSpec.Mse)).ToList();
                bounds.AddRange(problems.Select(p => p.LrCritGd).OfType<double>().Where(double.IsFinite));
                transforms.Add(pipeline);
            }
            catch (ArgumentException)
            {
                // This transform cannot apply to these data: left out.
            }
        }

        return StarterTemplate.Render(new StarterTemplate.Values(sweep, Path.GetFileName(path), csv, model, transforms, bounds));
    }

    private static StarterCsv Read(CsvSource csv, string folder, CancellationToken ct)
    {
        var full = Path.GetFullPath(csv.Path);
        StarterCsv Load(bool drop) => new(
            CsvTable.Load(Path.GetFileNameWithoutExtension(full), csv.Path, csv.X, csv.Y, drop, ct), Path.GetRelativePath(folder, full), csv.X, csv.Y, drop);
        try
        {
            return Load(drop: false);
        }
        catch (DataException)
        {
            // Perhaps only missing cells: if the file reads with their rows dropped, the starter drops them, and says so.
        }

        try
        {
            return Load(drop: true);
        }
        catch (DataException e)
        {
            throw new StarterException(string.Join(Environment.NewLine, e.Errors));
        }
    }
}

/// <summary>
/// A CSV dataset as the starter writes it: the data read, the path from the config's folder, the columns.
/// </summary>
internal sealed record StarterCsv(Dataset Dataset, string RelativePath, IReadOnlyList<string> X, string Y, bool DropMissing);
