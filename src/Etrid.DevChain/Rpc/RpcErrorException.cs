namespace Etrid.DevChain.Rpc;

/// <summary>A JSON-RPC error answer with Substrate's code, message and optional data.</summary>
public sealed class RpcErrorException : Exception
{
    public RpcErrorException(int code, string message, string? data = null) : base(message)
    {
        Code = code;
        ErrorData = data;
    }

    public RpcErrorException()
    {
    }

    public RpcErrorException(string message) : base(message)
    {
    }

    public RpcErrorException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public int Code { get; }

    /// <summary>The error's <c>data</c> member, if any.</summary>
    public string? ErrorData { get; }

    public static RpcErrorException InvalidParams(string detail) => new(-32602, "Invalid params", detail);

    public static RpcErrorException MethodNotFound() => new(-32601, "Method not found");
}
