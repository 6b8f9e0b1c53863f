// Types planted for LayeringTests' self-test: a small flow of two stages under GdSweeps.Tests.Architecture.Planted, one
// reference against it, and a namespace that is no stage. Nothing else uses them.
#pragma warning disable CA1812, CA1822 // never made, never called: only their references are read

namespace GdSweeps.Tests.Architecture.Planted.Training
{
    internal sealed class Helper
    {
        public object Up() => new Pipeline.Top(); // against the flow: Training uses Pipeline
    }
}

namespace GdSweeps.Tests.Architecture.Planted.Pipeline
{
    internal sealed class Top
    {
        public object Down() => new Training.Helper(); // with the flow
    }
}

namespace GdSweeps.Tests.Architecture.Planted.Shared
{
    internal static class Helper
    {
        public static int Value => 1;
    }
}
