using GdSweeps.Tests.Support;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace GdSweeps.Tests.Architecture;

/// <summary>
/// The library's folders are stages of one data flow; a stage may use the ones before it, never one after.
/// </summary>
[TestClass]
public sealed class LayeringTests
{
    /// <summary>
    /// The stages in flow order (docs/design.md draws them); Numerics, Data and Transforms are the ground they stand
    /// on.
    /// </summary>
    private static readonly string[] Stages =
    [
        "Numerics", "Data", "Transforms", "Configs", "Plan", "Grid", "Training", "Commands", "Running", "Results", "Analysis", "Reports", "Pipeline",
    ];

    [TestMethod]
    public void No_stage_references_a_later_stage_and_every_namespace_is_a_stage()
    {
        using var module = ModuleDefinition.ReadModule(typeof(SweepPlan).Assembly.Location);

        var scan = Scan(module, "GdSweeps", Stages, everyType: true);

        Assert.IsGreaterThan(100, scan.Edges, "the scan should see the stages use each other");
        Assert.IsEmpty(scan.Unknown, "namespaces that are no stage (add the folder to the order, or move the type):\n" + string.Join("\n", scan.Unknown));
        Assert.IsEmpty(scan.Against, "references against the flow:\n" + string.Join("\n", scan.Against));
    }

    [TestMethod]
    public void The_command_line_is_one_stage_on_top_of_the_library()
    {
        // gdsweeps.dll may use every stage of the library (they come before it); its own types are all in GdSweeps.Cli.
        using var module = ModuleDefinition.ReadModule(Path.Combine(AppContext.BaseDirectory, "gdsweeps.dll"));

        var scan = Scan(module, "GdSweeps", ["Cli"], everyType: true);

        Assert.IsEmpty(scan.Unknown, "types of the command outside GdSweeps.Cli:\n" + string.Join("\n", scan.Unknown));
        Assert.IsEmpty(scan.Against);
    }

    [TestMethod]
    public void Every_folder_of_the_library_is_a_stage()
    {
        var folders = Directory.GetDirectories(Path.Combine(Some.RepoRoot, "src", "GdSweeps"))
            .Select(Path.GetFileName).Where(f => f is not ("bin" or "obj")).ToList();

        CollectionAssert.AreEquivalent(Stages, folders);
    }

    [TestMethod]
    public void The_scan_fails_on_a_planted_back_edge_and_on_a_namespace_that_is_no_stage()
    {
        // This assembly plants, under GdSweeps.Tests.Architecture.Planted, a Training helper that calls Pipeline (a back
        // edge), a Pipeline type that calls Training (the flow), and a Shared helper that is no stage.
        using var module = ModuleDefinition.ReadModule(typeof(LayeringTests).Assembly.Location);

        var scan = Scan(module, "GdSweeps.Tests.Architecture.Planted", ["Training", "Pipeline"], everyType: false);

        CollectionAssert.AreEqual(
            new[] { "GdSweeps.Tests.Architecture.Planted.Training.Helper (Training) -> GdSweeps.Tests.Architecture.Planted.Pipeline.Top (Pipeline)" },
            scan.Against.ToArray());
        CollectionAssert.AreEqual(new[] { "GdSweeps.Tests.Architecture.Planted.Shared (GdSweeps.Tests.Architecture.Planted.Shared.Helper)" }, scan.Unknown.ToArray());
        Assert.AreEqual(2, scan.Edges, "the helper's call up and the top's call down");
    }

    /// <summary>
    /// What a scan found: references against the flow, namespaces under the root that are no stage, and edges between
    /// stages seen.
    /// </summary>
    private sealed record ScanResult(SortedSet<string> Against, SortedSet<string> Unknown, int Edges);

    /// <summary>
    /// Every type under <paramref name="root"/> (with <paramref name="everyType"/>, every type of the module but the
    /// compiler's own: one outside the root is unknown too) in a namespace <c>root.Stage[.anything]</c>; each reference
    /// to a type of a later stage is against the flow.
    /// </summary>
    private static ScanResult Scan(ModuleDefinition module, string root, string[] stages, bool everyType)
    {
        var against = new SortedSet<string>(StringComparer.Ordinal);
        var unknown = new SortedSet<string>(StringComparer.Ordinal);
        var edges = 0;
        int StageOf(TypeDefinition type) => Stage(Outermost(type).Namespace, root, stages);
        foreach (var type in AllTypes(module.Types).Where(t => t.DeclaringType is null))
        {
            var ns = type.Namespace;
            var under = ns.StartsWith(root + ".", StringComparison.Ordinal);
            if (!under && (!everyType || CompilerMade(type)))
            {
                continue;
            }

            if (StageOf(type) < 0)
            {
                unknown.Add($"{(ns.Length == 0 ? "(no namespace)" : ns)} ({type.FullName})");
            }
        }

        foreach (var type in AllTypes(module.Types))
        {
            var from = StageOf(type);
            if (from < 0)
            {
                continue;
            }

            foreach (var referenced in References(type).Where(t => t.Scope == module || t.Module == module).Select(t => t.Resolve()).OfType<TypeDefinition>())
            {
                var to = StageOf(referenced);
                edges += to >= 0 && to != from ? 1 : 0;
                if (to > from)
                {
                    against.Add($"{Outermost(type).FullName} ({stages[from]}) -> {Outermost(referenced).FullName} ({stages[to]})");
                }
            }
        }

        return new ScanResult(against, unknown, edges);
    }

    /// <summary>
    /// Types the compiler adds (the module's, generated regexes' and embedded attributes' holders), which are nobody's
    /// stage.
    /// </summary>
    private static bool CompilerMade(TypeDefinition type) =>
        type.Name is "<Module>" || type.Name.StartsWith('<')
        || type.CustomAttributes.Any(a => a.AttributeType.Name is "CompilerGeneratedAttribute" or "EmbeddedAttribute" or "GeneratedCodeAttribute");

    private static int Stage(string ns, string root, string[] stages)
    {
        if (!ns.StartsWith(root + ".", StringComparison.Ordinal))
        {
            return -1;
        }

        var folder = ns[(root.Length + 1)..].Split('.')[0];
        return Array.IndexOf(stages, folder);
    }

    private static TypeDefinition Outermost(TypeDefinition type) => type.DeclaringType is { } outer ? Outermost(outer) : type;

    private static IEnumerable<TypeDefinition> AllTypes(IEnumerable<TypeDefinition> types) =>
        types.SelectMany(t => AllTypes(t.NestedTypes).Prepend(t));

    /// <summary>
    /// Every type a type's declaration and code name: base, interfaces, members' signatures, attributes, locals and
    /// instructions.
    /// </summary>
    private static List<TypeReference> References(TypeDefinition type)
    {
        var found = new List<TypeReference>();
        void Add(TypeReference? t)
        {
            switch (t)
            {
                case null:
                    return;
                case GenericInstanceType g:
                    Add(g.ElementType);
                    g.GenericArguments.ToList().ForEach(Add);
                    return;
                case TypeSpecification s:
                    Add(s.ElementType);
                    return;
                case GenericParameter:
                    return;
                default:
                    found.Add(t);
                    return;
            }
        }

        void AddMethod(MethodReference m)
        {
            Add(m.DeclaringType);
            Add(m.ReturnType);
            foreach (var p in m.Parameters)
            {
                Add(p.ParameterType);
            }

            if (m is GenericInstanceMethod gm)
            {
                gm.GenericArguments.ToList().ForEach(Add);
            }
        }

        Add(type.BaseType);
        type.Interfaces.ToList().ForEach(i => Add(i.InterfaceType));
        type.CustomAttributes.ToList().ForEach(a => Add(a.AttributeType));
        type.Fields.ToList().ForEach(f => Add(f.FieldType));
        type.Properties.ToList().ForEach(p => Add(p.PropertyType));
        foreach (var method in type.Methods)
        {
            AddMethod(method);
            if (!method.HasBody)
            {
                continue;
            }

            method.Body.Variables.ToList().ForEach(v => Add(v.VariableType));
            foreach (var instruction in method.Body.Instructions)
            {
                switch (instruction.Operand)
                {
                    case TypeReference t:
                        Add(t);
                        break;
                    case MethodReference m:
                        AddMethod(m);
                        break;
                    case FieldReference f:
                        Add(f.DeclaringType);
                        Add(f.FieldType);
                        break;
                }
            }
        }

        return found;
    }
}
