namespace GdSweeps.Data;

/// <summary>One problem in an input data file, located by file, line, column and the column's name.</summary>
/// <remarks>Line 0 marks a problem with the file as a whole (missing, not a regular file, too large): it has no place
/// inside.</remarks>
internal sealed record DataError(string File, long Line, long Column, string Key, string Message)
{
    public override string ToString() =>
        Line > 0 ? $"{File}:{Line}:{Column}: {Key}: {Message}"
        : Key.Length > 0 ? $"{File}: {Key}: {Message}"
        : $"{File}: {Message}";
}

/// <summary>An input data file is invalid; carries every error found, not just the first.</summary>
internal sealed class DataException : Exception
{
    public DataException(IReadOnlyList<DataError> errors)
        : base(string.Join(Environment.NewLine, errors)) => Errors = errors;

    public DataException(DataError error) : this([error]) { }

    public IReadOnlyList<DataError> Errors { get; }
}
