using System.Globalization;

namespace GdSweeps.Configs;

/// <summary><c>linear</c>: y = X w; <c>affine</c>: y = X w + b.</summary>
internal enum ModelKind
{
    Linear,
    Affine,
}

/// <summary>Model names as written in configs and stored.</summary>
internal static class ModelKinds
{
    public static string Name(this ModelKind model) => model == ModelKind.Linear ? "linear" : "affine";
}
