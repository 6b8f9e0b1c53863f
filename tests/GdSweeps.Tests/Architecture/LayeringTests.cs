using GdSweeps.Tests.Support;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace GdSweeps.Tests.Architecture;

/// <summary>The library's folders are stages of one data flow; a stage may use the ones before it, never one after.</summary>
[TestClass]
public sealed class LayeringTests
{
    /// <summary>The stages in flow order (docs/design.md draws them); Numerics, Data and Transforms are the ground they stand on.</summary>
    private static readonly string[] Stages =
    [
        "Numerics", "Data", "Transforms", "Configs", "Plan", "Grid", "Training", "Commands", "Running", "Results", "Analysis", "Reports", "Pipeline",
    ];

    [TestMethod]
    public void No_stage_references_a_later_stage()
    {
        var path = typeof(SweepPlan).Assembly.Location;
        using var module = ModuleDefinition.ReadModule(path);
        var against = new SortedSet<string>(StringComparer.Ordinal);
        var edges = 0;
        foreach (var type in AllTypes(module.Types))
        {
            var from = Stage(type.Namespace.Length > 0 ? type.Namespace : Outermost(type).Namespace);
            if (from < 0)
            {
                continue;
            }

            foreach (var referenced in References(type).Where(t => t.Scope == module || t.Module == module).Select(t => t.Resolve()).OfType<TypeDefinition>())
            {
                var to = Stage(Outermost(referenced).Namespace);
                edges += to >= 0 && to != from ? 1 : 0;
                if (to > from)
                {
                    against.Add($"{Outermost(type).FullName} ({Stages[from]}) -> {Outermost(referenced).FullName} ({Stages[to]})");
                }
            }
        }

        Assert.IsGreaterThan(100, edges, "the scan should see the stages use each other");
        Assert.IsEmpty(against, "references against the flow:\n" + string.Join("\n", against));
    }

    [TestMethod]
    public void Every_folder_of_the_library_is_a_stage()
    {
        var folders = Directory.GetDirectories(Path.Combine(Some.RepoRoot, "src", "GdSweeps"))
            .Select(Path.GetFileName).Where(f => f is not ("bin" or "obj")).ToList();

        CollectionAssert.AreEquivalent(Stages, folders);
    }

    [TestMethod]
    public void The_scan_catches_a_reference_against_the_flow()
    {
        // This test assembly's own types are not stages; a type here that uses Pipeline and Configs shows the scanner sees body references.
        using var module = ModuleDefinition.ReadModule(typeof(LayeringTests).Assembly.Location);
        var self = module.GetType(typeof(Probe).FullName!.Replace('+', '/'));
        var seen = References(self).Select(t => t.Namespace).ToHashSet();

        Assert.Contains("GdSweeps.Pipeline", seen);
        Assert.Contains("GdSweeps.Configs", seen);
    }

    private static class Probe
    {
        public static object Use() => (SweepSession.Version, SweepAxes.All.Count);
    }

    private static int Stage(string ns)
    {
        if (!ns.StartsWith("GdSweeps.", StringComparison.Ordinal))
        {
            return -1;
        }

        var folder = ns["GdSweeps.".Length..].Split('.')[0];
        return Array.IndexOf(Stages, folder);
    }

    private static TypeDefinition Outermost(TypeDefinition type) => type.DeclaringType is { } outer ? Outermost(outer) : type;

    private static IEnumerable<TypeDefinition> AllTypes(IEnumerable<TypeDefinition> types) =>
        types.SelectMany(t => AllTypes(t.NestedTypes).Prepend(t));

    /// <summary>Every type a type's declaration and code name: base, interfaces, members' signatures, attributes, locals and instructions.</summary>
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
