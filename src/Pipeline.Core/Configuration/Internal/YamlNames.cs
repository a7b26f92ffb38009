using System.Reflection;
using System.Text;

namespace Pipeline.Configuration.Internal;

/// <summary>How C# names become <c>pipeline.yaml</c> names: snake_case unless <see cref="ConfigNameAttribute"/> says otherwise.</summary>
internal static class YamlNames
{
    /// <summary><c>LearningRate</c> becomes <c>learning_rate</c>.</summary>
    public static string ToSnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }

    /// <summary>The YAML name of a property or enum field.</summary>
    public static string Of(MemberInfo member) =>
        member.GetCustomAttribute<ConfigNameAttribute>()?.Name ?? ToSnakeCase(member.Name);

    /// <summary>The YAML names of an enum's values, in declaration order.</summary>
    public static IReadOnlyList<(string Name, object Value)> EnumValues(Type enumType) =>
        [.. enumType.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (Of(f), f.GetValue(null)!))];

    /// <summary>The YAML name of one enum value.</summary>
    public static string OfEnumValue(object value) =>
        EnumValues(value.GetType()).First(v => v.Value.Equals(value)).Name;

    /// <summary>The command-line option for an override path: <c>train.learning_rate</c> gives <c>--learning-rate</c>.</summary>
    public static string ToArgument(string path) =>
        "--" + path[(path.LastIndexOf('.') + 1)..].Replace('_', '-');
}
