namespace GdSweeps.Data;

/// <summary>One problem in an input data file, located by file, line, column and the column's name.</summary>
public sealed record DataError(string File, long Line, long Column, string Key, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Key}: {Message}";
}

/// <summary>An input data file is invalid; carries every error found, not just the first.</summary>
public sealed class DataException : Exception
{
    public DataException(IReadOnlyList<DataError> errors)
        : base(string.Join(Environment.NewLine, errors)) => Errors = errors;

    public DataException(DataError error) : this([error]) { }

    public IReadOnlyList<DataError> Errors { get; }
}
