using Etrid.Scaling.Authentication;
using Etrid.Scaling.Tests.Support;

namespace Etrid.Scaling.Tests.Authentication;

public sealed class AuthenticationConfigTests
{
    [Fact]
    public void FromConfigMap_ReadsKubeApiserversKeys()
    {
        var ca = TestCertificates.CreateCa("ca");
        var config = AuthenticationConfig.FromConfigMap(new Dictionary<string, string>
        {
            ["client-ca-file"] = ca.ExportCertificatePem(),
            ["requestheader-client-ca-file"] = ca.ExportCertificatePem() + "\n" + TestCertificates.CreateCa("ca2").ExportCertificatePem(),
            ["requestheader-allowed-names"] = """["front-proxy-client","aggregator"]""",
            ["requestheader-username-headers"] = """["X-Remote-User"]""",
            ["requestheader-group-headers"] = """["X-Remote-Group"]""",
            ["requestheader-extra-headers-prefix"] = """["X-Remote-Extra-"]""",
            ["requestheader-uid-headers"] = """["X-Remote-Uid"]""",
        });

        Assert.Single(config.ClientCa);
        Assert.Equal(2, config.RequestHeaderCa.Count);
        Assert.Equal(["front-proxy-client", "aggregator"], config.AllowedNames);
        Assert.Equal(["X-Remote-Uid"], config.UidHeaders);
    }

    [Fact]
    public void FromConfigMap_MissingKeys_TakeKubernetesDefaults()
    {
        var config = AuthenticationConfig.FromConfigMap(new Dictionary<string, string>());

        Assert.True(config.TrustsNoCertificate);
        Assert.Empty(config.AllowedNames);
        Assert.Equal(["X-Remote-User"], config.UsernameHeaders);
        Assert.Equal(["X-Remote-Group"], config.GroupHeaders);
        Assert.Equal(["X-Remote-Extra-"], config.ExtraHeaderPrefixes);
        Assert.Empty(config.UidHeaders);
    }

    [Theory]
    [InlineData("client-ca-file", "not pem")]
    [InlineData("requestheader-allowed-names", "front-proxy-client")]
    [InlineData("requestheader-allowed-names", "{\"a\":1}")]
    public void FromConfigMap_BadValue_IsAFormatErrorNamingTheKey(string key, string value)
    {
        var e = Assert.Throws<FormatException>(() => AuthenticationConfig.FromConfigMap(new Dictionary<string, string> { [key] = value }));

        Assert.StartsWith(key, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromConfigMap_HugeList_IsRefused()
    {
        var names = "[" + string.Join(',', Enumerable.Range(0, 100).Select(i => $"\"n{i}\"")) + "]";

        Assert.Throws<FormatException>(() => AuthenticationConfig.FromConfigMap(new Dictionary<string, string> { ["requestheader-allowed-names"] = names }));
    }
}
