namespace Etrid.Substrate.Rpc;

/// <summary>
/// A JSON-RPC call failed: the node answered with an error, the call timed out, or the connection was
/// lost. The message names the method and the endpoint (with credentials removed).
/// </summary>
public sealed class SubstrateRpcException : Exception
{
    public SubstrateRpcException(string method, string endpoint, int? code, string message, Exception? inner = null)
        : base(code is null ? $"{method} on {endpoint}: {message}" : $"{method} on {endpoint}: error {code}: {message}", inner)
    {
        Method = method;
        Endpoint = endpoint;
        Code = code;
    }

    public SubstrateRpcException()
    {
        Method = Endpoint = string.Empty;
    }

    public SubstrateRpcException(string message) : base(message)
    {
        Method = Endpoint = string.Empty;
    }

    public SubstrateRpcException(string message, Exception innerException) : base(message, innerException)
    {
        Method = Endpoint = string.Empty;
    }

    /// <summary>The JSON-RPC method that failed.</summary>
    public string Method { get; }

    /// <summary>The endpoint it was sent to, without credentials.</summary>
    public string Endpoint { get; }

    /// <summary>The JSON-RPC error code from the node, or null for time-outs and lost connections.</summary>
    public int? Code { get; }

    /// <summary>True when the node did not answer (time-out, connection lost), so retrying elsewhere may help.</summary>
    public bool IsTransient => Code is null or -32006 or -32007 or -32008 or -32009 or 2001;
}
