namespace Etrid.Scaling.Authentication;

/// <summary>
/// The authentication configuration in force: what the files give, plus the cluster's ConfigMap
/// once read (its CAs rotate: the watcher replaces it). Not ready until a required ConfigMap is read.
/// </summary>
public sealed class AuthenticationConfigStore
{
    private readonly AuthenticationConfig _files;
    private AuthenticationConfig? _cluster;
    private AuthenticationConfig _effective;
    private int _version;

    /// <param name="files">What the configured files give (standalone mode, or added to the cluster's).</param>
    /// <param name="clusterRequired">True when the ConfigMap must be read before serving.</param>
    public AuthenticationConfigStore(AuthenticationConfig files, bool clusterRequired)
    {
        _files = files;
        _effective = files;
        ClusterRequired = clusterRequired;
    }

    /// <summary>True when the cluster's ConfigMap is expected.</summary>
    public bool ClusterRequired { get; }

    /// <summary>The configuration to authenticate with now.</summary>
    public AuthenticationConfig Current => Volatile.Read(ref _effective);

    /// <summary>Changes with every update (keys caches of certificate checks).</summary>
    public int Version => Volatile.Read(ref _version);

    /// <summary>True when everything required is loaded.</summary>
    public bool IsReady => !ClusterRequired || Volatile.Read(ref _cluster) is not null;

    /// <summary>Installs the cluster's configuration; the files' CAs are added to it.</summary>
    public void SetCluster(AuthenticationConfig cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        Volatile.Write(ref _cluster, cluster);
        Volatile.Write(ref _effective, _files.TrustsNoCertificate ? cluster : cluster.WithCasFrom(_files));
        Interlocked.Increment(ref _version);
    }
}
