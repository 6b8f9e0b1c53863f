namespace GdSweeps.Configs;

/// <summary>Which steps of each run are kept in the loss curves.</summary>
internal enum CurveMode
{
    /// <summary>Steps 0 to 10, then about 20 per decade, and always the last.</summary>
    Log,

    /// <summary>Every step.</summary>
    All,
}
