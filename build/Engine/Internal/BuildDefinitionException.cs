namespace Pipeline.Build.Internal;

/// <summary>The command line, a parameter value or the build class itself is wrong; the build exits with code 2.</summary>
internal sealed class BuildDefinitionException(string message) : Exception(message)
{
}
