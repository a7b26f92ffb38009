using System.Collections;
using System.Reflection;

namespace Pipeline.Build.Internal;

/// <summary>A <see cref="ParameterAttribute"/> member of the build class.</summary>
internal sealed class BuildParameter
{
    private const BindingFlags Members = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    private readonly MemberInfo _member;

    private BuildParameter(MemberInfo member, ParameterAttribute attribute, object? defaultValue)
    {
        _member = member;
        Name = attribute.Name ?? PascalName(member.Name);
        Description = attribute.Description;
        IsSecret = member.GetCustomAttribute<SecretAttribute>() is not null;
        DefaultValue = defaultValue;
    }

    /// <summary>The PascalCase name: the key in <c>parameters.json</c>.</summary>
    public string Name { get; }

    /// <summary>The field or property's own name.</summary>
    public string MemberName => _member.Name;

    public string Description { get; }

    public bool IsSecret { get; }

    public object? DefaultValue { get; }

    public Type Type => _member is FieldInfo info ? info.FieldType : ((PropertyInfo)_member).PropertyType;

    /// <summary>The command-line form, e.g. <c>--mlflow-tracking-token</c>.</summary>
    public string Option => "--" + Naming.Kebab(Name);

    /// <summary>The environment-variable form, e.g. <c>MLFLOW_TRACKING_TOKEN</c>.</summary>
    public string EnvironmentVariable => Naming.Environment(Name);

    /// <summary>Finds the parameter members of <paramref name="build"/>, remembering their initial values as defaults.</summary>
    public static IReadOnlyList<BuildParameter> Discover(NukeBuild build)
    {
        var result = new List<BuildParameter>();
        for (var type = build.GetType(); type is not null && type != typeof(object); type = type.BaseType)
        {
            foreach (var member in type.GetMembers(Members | BindingFlags.DeclaredOnly))
            {
                if (member is not (FieldInfo or PropertyInfo) || member.GetCustomAttribute<ParameterAttribute>() is not { } attribute)
                {
                    continue;
                }

                var value = member is FieldInfo f ? f.GetValue(build) : ((PropertyInfo)member).GetValue(build);
                result.Add(new BuildParameter(member, attribute, value));
            }
        }

        return result;
    }

    /// <summary><c>_epochs</c> (a private field) → <c>Epochs</c>; other names stay as they are.</summary>
    private static string PascalName(string memberName)
    {
        var name = memberName.TrimStart('_');
        return name.Length == 0 ? memberName : char.ToUpperInvariant(name[0]) + name[1..];
    }

    public object? GetValue(NukeBuild build) => _member is FieldInfo field ? field.GetValue(build) : ((PropertyInfo)_member).GetValue(build);

    public void SetValue(NukeBuild build, object? value)
    {
        if (_member is FieldInfo field)
        {
            field.SetValue(build, value);
        }
        else
        {
            var property = (PropertyInfo)_member;
            var setter = property.GetSetMethod(nonPublic: true)
                ?? throw new BuildDefinitionException($"Parameter '{Name}' is a property without a setter; give it 'init' or 'set'.");
            setter.Invoke(build, [value]);
        }
    }

    /// <summary>The value as help shows it: <c>&lt;secret&gt;</c> for secrets, lists joined by spaces.</summary>
    public string Display(object? value)
    {
        if (IsSecret)
        {
            return "<secret>";
        }

        return value switch
        {
            null => "",
            string s => s,
            IEnumerable items => string.Join(" ", items.Cast<object?>()),
            Enum e => Naming.Kebab(e.ToString()),
            bool b => b ? "true" : "false",
            _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
        };
    }
}
