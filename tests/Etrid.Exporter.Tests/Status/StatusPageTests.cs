using System.Text.Json;
using System.Text.Json.Nodes;
using Etrid.Exporter.Status;
using Microsoft.Extensions.Time.Testing;

namespace Etrid.Exporter.Tests.Status;

public sealed class StatusPageTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 1, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Render_EscapesTheReason_InTheServerRenderedVerdict()
    {
        var page = StatusPage.Render("ai-compute", false, StatusFixtures.Hostile, "{}");

        Assert.Contains("<b>Not ready</b>", page, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", page, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_RemoteTextInTheEmbeddedDocument_CannotCloseItsScriptElement()
    {
        var providers = new[] { new Etrid.AiCompute.Figures.ProviderFigures(StatusFixtures.Hostile, 1, 1, 1, 100, 1, 1) };
        var hub = StatusFixtures.FreshHub(_time, StatusFixtures.Figures(300, providers));
        var reader = new StatusReader(hub, _time, "ai-compute", [new StatusSection("burst", () => JsonNode.Parse(StatusFixtures.BurstJsonWithHostileReason()))]);

        var page = StatusPage.Render("ai-compute", true, "ok", reader.ReadJson());

        Assert.DoesNotContain("<img", page, StringComparison.Ordinal);
        Assert.Equal(2, page.Split("</script>").Length - 1); // the document's and the code's own
        // The embedded document reads back as the same text.
        var start = page.IndexOf("<script id=\"initial\" type=\"application/json\">", StringComparison.Ordinal);
        var json = page[(page.IndexOf('>', start) + 1)..page.IndexOf("</script>", start, StringComparison.Ordinal)];
        using var document = JsonDocument.Parse(json);
        Assert.Equal(StatusFixtures.Hostile, document.RootElement.GetProperty("providers").GetProperty("top")[0].GetProperty("address").GetString());
    }

    [Fact]
    public void ContentSecurityPolicy_AllowsNoExternalSource()
    {
        var policy = StatusPage.ContentSecurityPolicy;
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("http", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NamesNoExternalAsset()
    {
        var page = StatusPage.Render("ai-compute", true, "ok", "{}");
        Assert.DoesNotContain("src=\"http", page, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"http", page, StringComparison.Ordinal);
        Assert.DoesNotContain("//cdn", page, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<meta name=\"viewport\"", page, StringComparison.Ordinal);
    }
}
