using System.ComponentModel.DataAnnotations;
using Etrid.Exporter.Configuration;
using Microsoft.Extensions.Configuration;

namespace Etrid.Exporter.Tests.Configuration;

public sealed class OptionsSchemaTests
{
    [Fact]
    public void Print_RedactsOptionsMarkedAsSecrets_WhereverTheyAre()
    {
        var text = OptionsSchema.Print(new Sample { Token = "tok-123", Nested = new SampleNested { Password = "pw-456" } });
        Assert.DoesNotContain("tok-123", text, StringComparison.Ordinal);
        Assert.DoesNotContain("pw-456", text, StringComparison.Ordinal);
        Assert.Contains("api_token: ***", text, StringComparison.Ordinal);
        Assert.Contains("  password: ***", text, StringComparison.Ordinal);
        Assert.Contains("labels:\n  team: gpu", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_NeverQuotesASecretsValue_InAProblem()
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase) { ["nested:retries"] = "tok-789", ["api_token"] = "x" };
        var problems = new List<string>();
        OptionsSchema.Normalize(typeof(Sample), values, problems);
        Assert.Equal(["nested.retries: 'tok-789' is not a whole number"], problems);

        values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase) { ["nested:pin"] = "tok-789" };
        problems.Clear();
        OptionsSchema.Normalize(typeof(Sample), values, problems);
        Assert.Equal(["nested.pin: the value is not a whole number"], problems);
    }

    [Fact]
    public void Normalize_TakesDictionaryKeysAsTheyAre_AndChecksEverythingElse()
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase) { ["labels:anything"] = "1", ["labelz:x"] = "1" };
        var problems = new List<string>();
        OptionsSchema.Normalize(typeof(Sample), values, problems);
        Assert.Equal(["labelz: unknown key (did you mean 'labels'?)"], problems);
    }

    private sealed class Sample
    {
        [ConfigurationKeyName("api_token")]
        [DataType(DataType.Password)]
        public string Token { get; set; } = string.Empty;

        [ConfigurationKeyName("labels")]
        public Dictionary<string, string> Labels { get; set; } = new() { ["team"] = "gpu" };

        [ConfigurationKeyName("nested")]
        public SampleNested Nested { get; set; } = new();
    }

    private sealed class SampleNested
    {
        [ConfigurationKeyName("password")]
        [DataType(DataType.Password)]
        public string Password { get; set; } = string.Empty;

        [ConfigurationKeyName("retries")]
        public int Retries { get; set; }

        [ConfigurationKeyName("pin")]
        [DataType(DataType.Password)]
        public int Pin { get; set; }
    }
}
