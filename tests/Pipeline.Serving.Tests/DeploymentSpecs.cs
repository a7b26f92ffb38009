using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Serving.Tests;

public sealed partial class DeploymentSpecs
{
    private static readonly string DeployFolder = Path.Combine(RepositoryRoot(), "pipeline", "deploy");

    [Fact]
    public void I_can_trust_the_kubernetes_probes_to_hit_the_service_routes_on_the_container_port()
    {
        // Arrange
        var documents = Load();
        var deployment = Kind(documents, "Deployment");
        var container = (YamlMappingNode)((YamlSequenceNode)At(deployment, "spec", "template", "spec", "containers")).Children[0];
        var port = (YamlMappingNode)((YamlSequenceNode)container["ports"]).Children[0];

        // Act
        var readiness = At(container, "readinessProbe", "httpGet");
        var liveness = At(container, "livenessProbe", "httpGet");
        var args = ((YamlSequenceNode)container["args"]).Children.Select(a => a.ToString()).ToList();

        // Assert
        Assert.Equal(ServingRoutes.Ready, At(readiness, "path").ToString());
        Assert.Equal(ServingRoutes.Health, At(liveness, "path").ToString());
        Assert.Equal(port["name"].ToString(), At(readiness, "port").ToString());
        Assert.Equal(port["name"].ToString(), At(liveness, "port").ToString());
        var urls = args[args.IndexOf("--urls") + 1];
        Assert.EndsWith(":" + port["containerPort"], urls, StringComparison.Ordinal);
        Assert.Equal(ServingRoutes.Metrics, At(deployment, "spec", "template", "metadata", "annotations", "prometheus.io/path").ToString());
        Assert.True(((YamlMappingNode)At(container, "resources", "requests")).Children.ContainsKey("cpu"));
    }

    [Fact]
    public void I_can_trust_the_service_and_autoscaler_to_target_the_deployment()
    {
        // Arrange
        var documents = Load();
        var deployment = Kind(documents, "Deployment");
        var service = Kind(documents, "Service");
        var autoscaler = Kind(documents, "HorizontalPodAutoscaler");
        var podLabels = (YamlMappingNode)At(deployment, "spec", "template", "metadata", "labels");
        var selector = (YamlMappingNode)At(service, "spec", "selector");

        // Act
        var name = At(deployment, "metadata", "name").ToString();

        // Assert
        Assert.All(selector.Children, s => Assert.Equal(s.Value.ToString(), podLabels[s.Key].ToString()));
        Assert.Equal("http", At(service, "spec", "ports").AllNodes.OfType<YamlMappingNode>().First()["targetPort"].ToString());
        Assert.Equal(name, At(autoscaler, "spec", "scaleTargetRef", "name").ToString());
        Assert.Equal("Deployment", At(autoscaler, "spec", "scaleTargetRef", "kind").ToString());
    }

    [Fact]
    public void I_can_trust_the_dockerfile_to_expose_the_manifest_port_and_start_the_serving_program()
    {
        // Arrange
        var dockerfile = File.ReadAllText(Path.Combine(DeployFolder, "Dockerfile"));
        var deployment = Kind(Load(), "Deployment");
        var container = (YamlMappingNode)((YamlSequenceNode)At(deployment, "spec", "template", "spec", "containers")).Children[0];
        var port = ((YamlMappingNode)((YamlSequenceNode)container["ports"]).Children[0])["containerPort"].ToString();

        // Act
        var exposed = Expose().Match(dockerfile).Groups[1].Value;

        // Assert
        Assert.Equal(port, exposed);
        Assert.Contains("ENTRYPOINT [\"dotnet\", \"Pipeline.Serve.dll\"]", dockerfile, StringComparison.Ordinal);
        Assert.Contains("FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build", dockerfile, StringComparison.Ordinal);
        Assert.Contains("FROM mcr.microsoft.com/dotnet/aspnet:10.0", dockerfile, StringComparison.Ordinal);
        Assert.NotEmpty(CopySource().Matches(dockerfile));
        foreach (var copied in CopySource().Matches(dockerfile).SelectMany(m => m.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipLast(1)))
        {
            Assert.True(File.Exists(Path.Combine(RepositoryRoot(), copied)) || Directory.Exists(Path.Combine(RepositoryRoot(), copied)), $"The Dockerfile copies {copied}, which does not exist");
        }
    }

    private static List<YamlMappingNode> Load()
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(DeployFolder, "k8s.yaml"));
        stream.Load(reader);
        return [.. stream.Documents.Select(d => (YamlMappingNode)d.RootNode)];
    }

    private static YamlMappingNode Kind(List<YamlMappingNode> documents, string kind) =>
        documents.Single(d => d["kind"].ToString() == kind);

    private static YamlNode At(YamlNode node, params string[] keys) =>
        keys.Aggregate(node, (current, key) => ((YamlMappingNode)current)[key]);

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Pipeline.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Pipeline.sln not found above the test output folder.");
    }

    [GeneratedRegex(@"^EXPOSE (\d+)$", RegexOptions.Multiline)]
    private static partial Regex Expose();

    [GeneratedRegex(@"^COPY (?!--from)(.+)$", RegexOptions.Multiline)]
    private static partial Regex CopySource();
}
