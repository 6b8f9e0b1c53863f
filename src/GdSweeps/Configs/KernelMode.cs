namespace GdSweeps.Configs;

/// <summary>
/// How a full-batch MSE step is computed: from precomputed sums (O(p^2) per step) or over every sample.
/// </summary>
internal enum KernelMode
{
    /// <summary>
    /// Use the sums Z^T Z, Z^T y, y^T y wherever that is exact math (full-batch MSE on a linear model).
    /// </summary>
    Auto,

    /// <summary>Always loop over the samples: the reference path.</summary>
    PerSample,
}
