using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using System.Xml.Linq;

namespace Odr.Tests.Policy;

/// <summary>
/// Habits of the code base, checked as tests (as ScottPlot's code-policy tests do): public API has XML
/// docs, the public API of Odr does not leak the solver's internals (Odr.Core), and files under Odr/
/// stay small enough to read. The file-size and build-setting checks read the source tree, found by
/// walking up from the test assembly to the folder that holds Solution.sln.
/// </summary>
public class CodePolicyTests
{
    /// <summary>The longest a file under Odr/ may be, in lines.</summary>
    private const int MaxLines = 500;

    /// <summary>
    /// Known debt: the files under Odr/ that were over <see cref="MaxLines"/> when the rule came in,
    /// with their length then as a ceiling. The list only shrinks: a file here may not grow past its
    /// ceiling, and once it is split below the limit its entry must go (the test says so). Paths are
    /// relative to the repository root, with '/'.
    /// </summary>
    private static readonly Dictionary<string, int> KnownLongFiles = new()
    {
    };

    /// <summary>The library projects whose public API must be documented.</summary>
    private static readonly string[] DocumentedProjects =
    {
        "Odr/Odr.csproj", "Odr.Plots/Odr.Plots.csproj", "Odr.Expressions/Odr.Expressions.csproj", "NeuralNet/NeuralNet.csproj",
    };

    private static readonly Lazy<string> Root = new(FindRepositoryRoot);

    [Fact]
    public void NoFileUnderOdrIsLongerThanTheLimitExceptTheKnownDebt()
    {
        string odr = Path.Combine(Root.Value, "Odr");
        var problems = new List<string>();
        var seen = new HashSet<string>();
        foreach (string file in SourceFiles(odr))
        {
            string relative = Path.GetRelativePath(Root.Value, file).Replace('\\', '/');
            int lines = File.ReadAllLines(file).Length;
            if (KnownLongFiles.TryGetValue(relative, out int ceiling))
            {
                seen.Add(relative);
                if (lines > ceiling)
                    problems.Add($"{relative} has {lines} lines, more than its ceiling of {ceiling} in the known-debt list: split it rather than grow it.");
                else if (lines <= MaxLines)
                    problems.Add($"{relative} has {lines} lines, within the limit of {MaxLines}: remove it from {nameof(KnownLongFiles)} so that it stays there.");
            }
            else if (lines > MaxLines)
            {
                problems.Add($"{relative} has {lines} lines, more than the limit of {MaxLines}: split it by purpose (see docs/ARCHITECTURE.md).");
            }
        }
        foreach (string missing in KnownLongFiles.Keys.Where(k => !seen.Contains(k)))
            problems.Add($"{missing} is in {nameof(KnownLongFiles)} but no longer exists: remove its entry.");
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>The compiler's CS1591 (missing XML comment on a visible type or member) is what
    /// enforces the docs in every library, so the settings that make it an error must stay: the doc
    /// file generated, warnings as errors, and CS1591 not silenced anywhere.</summary>
    [Fact]
    public void TheBuildTreatsAMissingXmlDocOnPublicApiAsAnError()
    {
        var problems = new List<string>();
        string props = File.ReadAllText(Path.Combine(Root.Value, "Directory.Build.props"));
        if (!props.Contains("<TreatWarningsAsErrors>true</TreatWarningsAsErrors>", StringComparison.Ordinal))
            problems.Add("Directory.Build.props no longer sets TreatWarningsAsErrors: CS1591 (missing XML doc) would pass.");
        if (props.Contains("1591", StringComparison.Ordinal)) problems.Add("Directory.Build.props mentions CS1591: the XML-doc rule must not be silenced.");
        foreach (string project in DocumentedProjects)
        {
            string path = Path.Combine(Root.Value, project);
            string text = File.ReadAllText(path);
            if (!text.Contains("<GenerateDocumentationFile>true</GenerateDocumentationFile>", StringComparison.Ordinal))
                problems.Add($"{project} does not set GenerateDocumentationFile: its public API is no longer checked for XML docs (CS1591).");
            if (text.Contains("1591", StringComparison.Ordinal)) problems.Add($"{project} silences CS1591 (missing XML doc).");
            if (text.Contains("<TreatWarningsAsErrors>false", StringComparison.OrdinalIgnoreCase)) problems.Add($"{project} turns warnings-as-errors off.");
            foreach (string file in SourceFiles(Path.GetDirectoryName(path)!))
            {
                foreach (string line in File.ReadLines(file))
                {
                    string trimmed = line.TrimStart();
                    if (trimmed.StartsWith("#pragma warning disable", StringComparison.Ordinal) && trimmed.Contains("1591", StringComparison.Ordinal))
                        problems.Add($"{Path.GetRelativePath(Root.Value, file)} silences CS1591 (missing XML doc) with a pragma.");
                }
            }
        }
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>The same rule checked independently of the compiler for the assemblies this test
    /// project references: every public type and member has an entry in the generated XML doc file.</summary>
    [Theory]
    [InlineData(typeof(ODR))]
    [InlineData(typeof(Odr.Expressions.Formula))]
    public void EveryPublicTypeAndMemberHasAnXmlDoc(Type inAssembly)
    {
        var assembly = inAssembly.Assembly;
        string xmlPath = Path.ChangeExtension(assembly.Location, ".xml");
        Assert.True(File.Exists(xmlPath), $"The XML doc file {xmlPath} is missing: is GenerateDocumentationFile still set for {assembly.GetName().Name}?");
        var documented = XDocument.Load(xmlPath).Descendants("member")
            .Select(m => (string?)m.Attribute("name")).Where(n => n != null).ToHashSet(StringComparer.Ordinal);

        var missing = new List<string>();
        int seen = 0;
        foreach (var type in assembly.GetExportedTypes())
        {
            if (!documented.Contains("T:" + TypeId(type))) missing.Add("T:" + TypeId(type));
            foreach (var member in VisibleMembers(type))
            {
                string? id = MemberId(member);
                if (id != null && !documented.Contains(id)) missing.Add(id);
                seen++;
            }
        }
        Assert.True(seen >= 20, $"Only {seen} public members found in {assembly.GetName().Name}: the reflection walk is broken.");
        Assert.True(missing.Count == 0, $"{assembly.GetName().Name}: public API without an XML doc:{Environment.NewLine}" + string.Join(Environment.NewLine, missing));
    }

    /// <summary>The solver (namespace Odr.Core) is internal: no public type of Odr is declared in it,
    /// and no public or protected member takes, returns or derives from one of its types, so the
    /// solver can be reorganized without an API change.</summary>
    [Fact]
    public void NoPublicMemberOfOdrExposesAnOdrCoreType()
    {
        var problems = new List<string>();
        foreach (var type in typeof(ODR).Assembly.GetExportedTypes())
        {
            if (IsCore(type)) problems.Add($"{type.FullName} is public in Odr.Core.");
            if (type.BaseType != null && Mentions(type.BaseType)) problems.Add($"{type.FullName} derives from {type.BaseType}.");
            foreach (var i in type.GetInterfaces().Where(Mentions)) problems.Add($"{type.FullName} implements {i}.");
            foreach (var member in VisibleMembers(type))
            {
                foreach (var used in TypesUsedBy(member).Where(Mentions))
                    problems.Add($"{type.FullName}.{member.Name} exposes {used}.");
            }
        }
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems.Distinct()));
    }

    private static bool IsCore(Type t) => t.Namespace is { } ns && (ns == "Odr.Core" || ns.StartsWith("Odr.Core.", StringComparison.Ordinal));

    private static bool Mentions(Type t)
    {
        if (t.HasElementType) return Mentions(t.GetElementType()!);
        if (t.IsGenericParameter) return false;
        if (IsCore(t)) return true;
        return t.IsGenericType && t.GetGenericArguments().Any(Mentions);
    }

    private static IEnumerable<Type> TypesUsedBy(MemberInfo member) => member switch
    {
        FieldInfo f => new[] { f.FieldType },
        PropertyInfo p => p.GetIndexParameters().Select(x => x.ParameterType).Append(p.PropertyType),
        EventInfo e => e.EventHandlerType is { } h ? new[] { h } : Array.Empty<Type>(),
        MethodInfo m => m.GetParameters().Select(x => x.ParameterType).Append(m.ReturnType)
            .Concat(m.IsGenericMethodDefinition ? m.GetGenericArguments().SelectMany(g => g.GetGenericParameterConstraints()) : Array.Empty<Type>()),
        ConstructorInfo c => c.GetParameters().Select(x => x.ParameterType),
        _ => Array.Empty<Type>(),
    };

    /// <summary>Public and protected members a user can see, declared by the type itself, without
    /// accessors (their property or event carries the doc) and what the compiler writes (record
    /// members, implicit constructors).</summary>
    private static IEnumerable<MemberInfo> VisibleMembers(Type type)
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var member in type.GetMembers(flags))
        {
            if (member is Type) continue; // nested types are exported types of their own
            if (typeof(Delegate).IsAssignableFrom(type)) yield break; // the delegate type carries the doc
            if (member.IsDefined(typeof(CompilerGeneratedAttribute), false)) continue;
            bool visible = member switch
            {
                FieldInfo f => f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly,
                MethodBase m => m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly,
                PropertyInfo p => p.GetAccessors(true).Any(a => a.IsPublic || a.IsFamily || a.IsFamilyOrAssembly),
                EventInfo e => e.AddMethod is { } add && (add.IsPublic || add.IsFamily || add.IsFamilyOrAssembly),
                _ => false,
            };
            if (!visible) continue;
            if (member is MethodInfo { IsSpecialName: true } accessor && !accessor.Name.StartsWith("op_", StringComparison.Ordinal)) continue;
            // A type without a declared constructor gets a public parameterless one that has no doc to
            // give, and reflection cannot tell it from a declared one: parameterless ones are left out.
            if (member is ConstructorInfo c && (c.IsStatic || c.GetParameters().Length == 0)) continue;
            if (IsRecordSynthesized(type, member)) continue;
            if (type.IsEnum && member.Name == "value__") continue;
            yield return member;
        }
    }

    private static bool IsRecordSynthesized(Type type, MemberInfo member)
    {
        bool isRecord = type.GetMethod("<Clone>$") != null || (type.IsValueType && type.GetMethod("PrintMembers", BindingFlags.NonPublic | BindingFlags.Instance) != null);
        if (!isRecord) return false;
        return member.Name is "Equals" or "GetHashCode" or "ToString" or "PrintMembers" or "Deconstruct" or "op_Equality" or "op_Inequality" or "EqualityContract"
            || (member is ConstructorInfo ctor && ctor.GetParameters() is [{ } only] && only.ParameterType == type);
    }

    private static string? MemberId(MemberInfo member)
    {
        string owner = TypeId(member.DeclaringType!);
        return member switch
        {
            FieldInfo f => $"F:{owner}.{f.Name}",
            PropertyInfo p => $"P:{owner}.{p.Name}" + Parameters(p.GetIndexParameters()),
            EventInfo e => $"E:{owner}.{e.Name}",
            ConstructorInfo c => $"M:{owner}.#ctor" + Parameters(c.GetParameters()),
            MethodInfo m => $"M:{owner}.{m.Name}" + (m.IsGenericMethodDefinition ? "``" + m.GetGenericArguments().Length : "") + Parameters(m.GetParameters())
                + (m.Name is "op_Implicit" or "op_Explicit" ? "~" + ParameterTypeId(m.ReturnType) : ""),
            _ => null,
        };
    }

    private static string Parameters(ParameterInfo[] parameters) =>
        parameters.Length == 0 ? "" : "(" + string.Join(",", parameters.Select(p => ParameterTypeId(p.ParameterType))) + ")";

    /// <summary>A type's name in a documentation ID ("T:" part): namespace, nested types joined by
    /// '.', generic arity after a backtick.</summary>
    private static string TypeId(Type type)
    {
        string name = type.Name;
        return type.IsNested ? TypeId(type.DeclaringType!) + "." + name : (type.Namespace is { } ns ? ns + "." + name : name);
    }

    /// <summary>A type as a parameter in a documentation ID: generic arguments in braces, arrays with
    /// [] or [0:,0:], by-reference with @, generic parameters as `n (type) or ``n (method).</summary>
    private static string ParameterTypeId(Type type)
    {
        if (type.IsByRef) return ParameterTypeId(type.GetElementType()!) + "@";
        if (type.IsPointer) return ParameterTypeId(type.GetElementType()!) + "*";
        if (type.IsArray)
        {
            int rank = type.GetArrayRank();
            string dims = rank == 1 && type.IsSZArray ? "[]" : "[" + string.Join(",", Enumerable.Repeat("0:", rank)) + "]";
            return ParameterTypeId(type.GetElementType()!) + dims;
        }
        if (type.IsGenericParameter) return (type.DeclaringMethod != null ? "``" : "`") + type.GenericParameterPosition;
        if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition();
            var sb = new StringBuilder();
            var args = type.GetGenericArguments();
            int used = 0;
            foreach (var part in Chain(definition))
            {
                if (sb.Length > 0) sb.Append('.');
                else if (part.Namespace != null) sb.Append(part.Namespace).Append('.');
                string n = part.Name;
                int tick = n.IndexOf('`', StringComparison.Ordinal);
                if (tick < 0)
                {
                    sb.Append(n);
                    continue;
                }
                int arity = int.Parse(n[(tick + 1)..], System.Globalization.CultureInfo.InvariantCulture);
                sb.Append(n[..tick]).Append('{').Append(string.Join(",", args.Skip(used).Take(arity).Select(ParameterTypeId))).Append('}');
                used += arity;
            }
            return sb.ToString();
        }
        return TypeId(type);
    }

    private static IEnumerable<Type> Chain(Type t)
    {
        var stack = new Stack<Type>();
        for (Type? c = t; c != null; c = c.IsNested ? c.DeclaringType : null) stack.Push(c);
        return stack;
    }

    private static IEnumerable<string> SourceFiles(string folder) =>
        Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f =>
            {
                string rel = Path.GetRelativePath(folder, f).Replace('\\', '/');
                return !rel.StartsWith("bin/", StringComparison.Ordinal) && !rel.StartsWith("obj/", StringComparison.Ordinal);
            })
            .OrderBy(f => f, StringComparer.Ordinal);

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Solution.sln")) && File.Exists(Path.Combine(dir.FullName, "Odr", "Odr.csproj")))
                return dir.FullName;
        }
        throw new InvalidOperationException(
            $"The code-policy tests read the source tree, but no folder above {AppContext.BaseDirectory} holds Solution.sln and Odr/Odr.csproj. Run them from a build inside the repository.");
    }
}
