using System.Net;
using Etrid.Scaling.Listeners;

namespace Etrid.Scaling.Tests.Listeners;

public sealed class ListenAddressTests
{
    [Theory]
    [InlineData("https://0.0.0.0:6443", "https", "0.0.0.0", 6443)]
    [InlineData("http://[::]:6000", "http", "::", 6000)]
    [InlineData("https://localhost:7443", "https", "127.0.0.1", 7443)]
    [InlineData("https://127.0.0.1:0", "https", "127.0.0.1", 0)]
    public void TryParse_Valid(string url, string scheme, string ip, int port)
    {
        Assert.True(ListenAddress.TryParse(url, out var address, out _));
        Assert.Equal(new ListenAddress(scheme, IPAddress.Parse(ip), port), address);
    }

    [Theory]
    [InlineData("0.0.0.0:6443")]
    [InlineData("grpc://0.0.0.0:6000")]
    [InlineData("https://example.com:6443")]
    [InlineData("https://0.0.0.0:6443/path")]
    [InlineData(null)]
    public void TryParse_Invalid_SaysWhy(string? url)
    {
        Assert.False(ListenAddress.TryParse(url, out _, out var error));
        Assert.NotNull(error);
    }
}
