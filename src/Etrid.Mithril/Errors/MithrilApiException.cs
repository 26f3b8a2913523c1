using System.Net;

namespace Etrid.Mithril.Errors;

/// <summary>The API answered with an error status; <see cref="Detail"/> is the response's <c>detail</c> as text.</summary>
public class MithrilApiException : MithrilException
{
    public MithrilApiException()
    {
    }

    public MithrilApiException(string message)
        : base(message)
    {
    }

    public MithrilApiException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public MithrilApiException(string method, string path, HttpStatusCode statusCode, string detail, IReadOnlyList<ValidationProblem> problems)
        : base($"{method} {path} answered {(int)statusCode} {statusCode}: {detail}")
    {
        Method = method;
        Path = path;
        StatusCode = statusCode;
        Detail = detail;
        Problems = problems;
    }

    /// <summary>HTTP method of the call.</summary>
    public string Method { get; } = "";

    /// <summary>Path of the call (no query string).</summary>
    public string Path { get; } = "";

    /// <summary>The status code.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The error text: a 422 list joined as <c>loc: msg; …</c>, a <c>detail</c> string, or the raw body capped at 1 KiB.</summary>
    public string Detail { get; } = "";

    /// <summary>The 422 <c>detail</c> items (empty for other errors).</summary>
    public IReadOnlyList<ValidationProblem> Problems { get; } = [];

    /// <summary>True for 401: a missing, wrong or expired key (a configuration error, not retried).</summary>
    public bool IsUnauthorized => StatusCode == HttpStatusCode.Unauthorized;

    /// <summary>True for 404.</summary>
    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;
}
