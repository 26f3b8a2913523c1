using System.Net;
using System.Text.Json.Nodes;

namespace Etrid.Scaling.Tests.Support;

/// <summary>Checks that a response is a Kubernetes <c>Status</c> with the given code and reason.</summary>
internal static class StatusAssert
{
    public static async Task<JsonNode> IsStatusAsync(HttpResponseMessage response, HttpStatusCode code, string reason)
    {
        Assert.Equal(code, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("Status", (string?)body["kind"]);
        Assert.Equal("v1", (string?)body["apiVersion"]);
        Assert.Equal("Failure", (string?)body["status"]);
        Assert.Equal(reason, (string?)body["reason"]);
        Assert.Equal((int)code, (int?)body["code"]);
        return body;
    }
}
