namespace Etrid.Scaling.Authorization;

/// <summary>
/// What a request does, as a SubjectAccessReview asks: for data, resource attributes
/// (<c>list</c> on <c>external.metrics.k8s.io/v1beta1</c> resource = metric, in a namespace);
/// for discovery, non-resource attributes (<c>get</c> on the path).
/// </summary>
public sealed record AccessAttributes(string Verb, string? Resource, string? Namespace, string? Path)
{
    /// <summary>The API group of the resources.</summary>
    public const string Group = "external.metrics.k8s.io";

    /// <summary>The API version of the resources.</summary>
    public const string Version = "v1beta1";

    /// <summary>Reading a metric (a GET without a name is <c>list</c>).</summary>
    public static AccessAttributes ForMetric(string metric, string @namespace) => new("list", metric, @namespace, null);

    /// <summary>Reading a discovery path.</summary>
    public static AccessAttributes ForPath(string path) => new("get", null, null, path);

    /// <summary>True for resource attributes.</summary>
    public bool IsResource => Resource is not null;

    /// <inheritdoc />
    public override string ToString() => IsResource ? $"{Verb} {Group}/{Version} {Resource} in {Namespace}" : $"{Verb} {Path}";
}
