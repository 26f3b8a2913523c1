using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Etrid.Burst.Options;

/// <summary>One entry of <c>pool_details</c>: an independently autoscaled pool of one instance type.</summary>
public sealed class PoolOptions
{
    /// <summary>Unique pool name; part of the bid names and of the configuration hash.</summary>
    [ConfigurationKeyName("pool_name")]
    [Required(ErrorMessage = "pool_name: is required")]
    public string PoolName { get; init; } = "";

    /// <summary>The market's instance type (Mithril: an FID <c>it_…</c>), sent verbatim.</summary>
    [ConfigurationKeyName("instance_type")]
    [Required(ErrorMessage = "instance_type: is required")]
    public string InstanceType { get; init; } = "";

    /// <summary>Limit in USD per <b>GPU</b>-hour; sent per instance-hour (× the type's GPU count, rounded down to the cent).</summary>
    [ConfigurationKeyName("limit_price_per_gpu_hour")]
    public decimal LimitPricePerGpuHour { get; init; }

    /// <summary>Display text.</summary>
    [ConfigurationKeyName("description")]
    public string? Description { get; init; }

    /// <summary>This pool's bounds: the keys it sets override the provider-level <c>autoscaler_config</c>, the rest are inherited.</summary>
    [ConfigurationKeyName("autoscaler_config")]
    public AutoscalerOverrides? AutoscalerConfig { get; init; }

    /// <summary>Memory in GB, sent as <c>launch_specification.memory_gb</c> when set.</summary>
    [ConfigurationKeyName("memory_gb")]
    [Range(1, 100_000, ErrorMessage = "memory_gb: must be between 1 and 100000")]
    public int? MemoryGb { get; init; }

    /// <summary>Every problem as <c>path.key: what is wrong (value)</c>.</summary>
    public IEnumerable<string> Validate(string path)
    {
        var problems = new List<string>();
        if (!string.IsNullOrEmpty(PoolName) && !PoolName.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            problems.Add($"{path}.pool_name: only letters, digits, '-' and '_' ({PoolName})");
        }

        if (LimitPricePerGpuHour <= 0 || LimitPricePerGpuHour > 10_000)
        {
            problems.Add($"{path}.limit_price_per_gpu_hour: must be above 0 and at most 10000 USD per GPU-hour ({LimitPricePerGpuHour})");
        }

        var results = new List<ValidationResult>();
        Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true);
        problems.AddRange(results.Select(r => $"{path}.{r.ErrorMessage}"));
        return problems;
    }
}
