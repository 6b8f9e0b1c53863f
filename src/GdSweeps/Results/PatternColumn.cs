using Parquet;
using Parquet.Schema;

namespace GdSweeps.Results;

/// <summary>
/// A pattern that names columns (<c>param_&lt;name&gt;</c>), documented with the columns it stands for; never stored
/// itself.
/// </summary>
internal sealed class PatternColumn(string name, string typeName, string meaning, string? nullMeans) : Column(name, typeof(string), meaning, nullMeans)
{
    public override string TypeName => typeName;

    public override DataField Field => throw new NotSupportedException($"{Name} is a pattern of columns, not a column");

    internal override Task<Array> ReadAsync(ParquetRowGroupReader group, CancellationToken ct) => throw new NotSupportedException(Name);

    internal override Array NoValues() => throw new NotSupportedException(Name);
}
