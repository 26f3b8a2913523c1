namespace Etrid.Scaling.Tls;

/// <summary>What a listener asks of client certificates at the TLS handshake.</summary>
public enum ClientCertificates
{
    /// <summary>Not asked for.</summary>
    None,

    /// <summary>Asked for and accepted as sent; requests check them against the CAs in force.</summary>
    Accepted,

    /// <summary>Required, and must chain to the configured client CA bundle (reloaded with the certificate).</summary>
    Required,
}
