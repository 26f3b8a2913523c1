using Etrid.Burst.Pricing;
using Etrid.Burst.Startup;
using Etrid.Mithril.Api;
using Etrid.Mithril.Errors;
using Etrid.Mithril.Models;
using Etrid.Mithril.Options;

namespace Etrid.Mithril.Startup;

/// <summary>
/// Section 9.7 against the live API, every problem at once: the key works (<c>GET /v2/me</c>), the
/// project is the key's, each SSH key exists in it, each pool's instance type exists with GPUs and
/// gives a limit of at least $0.01 per instance-hour, and has a Spot quota (<c>GET /v2/quotas</c>; used up is a
/// warning); (type, region) missing from availability is a warning.
/// </summary>
public static class StartupValidator
{
    /// <summary>Checks the options against the API; never throws for an API failure (it becomes a problem).</summary>
    public static async Task<StartupReport> ValidateAsync(MithrilAutoOptions options, IMithrilApi api, string path, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var warnings = new List<string>();
        var gpus = new Dictionary<string, int>(StringComparer.Ordinal);
        try
        {
            await api.GetMeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (MithrilApiException e) when (e.IsUnauthorized)
        {
            problems.Add($"{path}.api_token: the API refused the key (401; a wrong or expired key)");
            return new StartupReport(problems, warnings, gpus);
        }
        catch (MithrilException e)
        {
            problems.Add($"{path}.api_endpoint: the API did not answer GET /v2/me ({e.Message})");
            return new StartupReport(problems, warnings, gpus);
        }

        await Check(problems, $"{path}.project_id", async () =>
        {
            var projects = await api.ListProjectsAsync(cancellationToken).ConfigureAwait(false);
            return projects.Any(p => p.Fid == options.ProjectId) ? null : $"not among the key's projects ({options.ProjectId})";
        }).ConfigureAwait(false);

        if (options.SshKeyIds.Count > 0)
        {
            await Check(problems, $"{path}.ssh_key_ids", async () =>
            {
                var keys = (await api.ListSshKeysAsync(options.ProjectId, cancellationToken).ConfigureAwait(false)).Select(k => k.Fid).ToHashSet(StringComparer.Ordinal);
                var missing = options.SshKeyIds.Select((k, i) => (k, i)).Where(x => !keys.Contains(x.k)).ToList();
                return missing.Count == 0 ? null : string.Join("; ", missing.Select(m => $"[{m.i}] not found in the project ({m.k})"));
            }).ConfigureAwait(false);
        }

        await Check(problems, $"{path}.pool_details", async () =>
        {
            var types = (await api.ListInstanceTypesAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(t => t.Fid, StringComparer.Ordinal);
            for (var i = 0; i < options.PoolDetails.Count; i++)
            {
                var pool = options.PoolDetails[i];
                var key = $"{path}.pool_details[{i}]";
                if (!types.TryGetValue(pool.InstanceType, out var type) || type.NumGpus <= 0)
                {
                    problems.Add($"{key}.instance_type: not an instance type with GPUs ({pool.InstanceType})");
                    continue;
                }

                gpus[type.Fid] = type.NumGpus;
                try
                {
                    GpuHourPrice.InstanceLimitCents(pool.LimitPricePerGpuHour, type.NumGpus);
                }
                catch (ArgumentOutOfRangeException)
                {
                    problems.Add($"{key}.limit_price_per_gpu_hour: {pool.LimitPricePerGpuHour} × {type.NumGpus} GPUs is below $0.01 per instance-hour");
                }
            }

            return null;
        }).ConfigureAwait(false);

        await CheckQuotasAsync(options, api, path, problems, warnings, cancellationToken).ConfigureAwait(false);
        try
        {
            var auctions = await api.ListSpotAvailabilityAsync(cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < options.PoolDetails.Count; i++)
            {
                var pool = options.PoolDetails[i];
                if (!auctions.Any(a => a.InstanceType == pool.InstanceType && a.Region == options.Region))
                {
                    warnings.Add($"{path}.pool_details[{i}]: no spot auction for {pool.InstanceType} in {options.Region} right now");
                }
            }
        }
        catch (MithrilException e)
        {
            warnings.Add($"{path}: spot availability unreadable ({e.Message})");
        }

        return new StartupReport(problems, warnings, gpus);
    }

    // Section 3.10: the Spot quota of the pool's type (else the type-less one). A quota of nothing can never be
    // won, so it is a problem; one that is used up frees as instances end, so it is a warning (scale-up checks it again).
    private static async Task CheckQuotasAsync(MithrilAutoOptions options, IMithrilApi api, string path, List<string> problems, List<string> warnings, CancellationToken cancellationToken)
    {
        IReadOnlyList<Quota> quotas;
        try
        {
            quotas = await api.ListQuotasAsync(options.ProjectId, cancellationToken).ConfigureAwait(false);
        }
        catch (MithrilException e)
        {
            warnings.Add($"{path}: quotas unreadable ({e.Message})");
            return;
        }

        var spot = quotas.Where(q => string.Equals(q.ProductType, "Spot", StringComparison.OrdinalIgnoreCase)).ToList();
        for (var i = 0; i < options.PoolDetails.Count; i++)
        {
            var type = options.PoolDetails[i].InstanceType;
            var quota = spot.FirstOrDefault(q => q.InstanceType == type) ?? spot.FirstOrDefault(q => q.InstanceType is null);
            if (quota is null)
            {
                // Nothing listed limits this type (or the project is wrong, reported above): nothing to gate on.
                continue;
            }

            if (quota.TotalQuantity <= 0)
            {
                problems.Add($"{path}.pool_details[{i}].instance_type: no Spot quota for {type} in the project ({quota.TotalQuantity} {quota.Units}); ask Mithril to raise it or choose another type");
            }
            else if (quota.Exhausted)
            {
                warnings.Add($"{path}.pool_details[{i}]: the Spot quota for {type} is used up ({quota.UsedQuantity} of {quota.TotalQuantity} {quota.Units}); no bid of this pool can win until some are released");
            }
        }
    }

    private static async Task Check(List<string> problems, string key, Func<Task<string?>> check)
    {
        try
        {
            if (await check().ConfigureAwait(false) is { } problem)
            {
                problems.Add($"{key}: {problem}");
            }
        }
        catch (MithrilException e)
        {
            problems.Add($"{key}: could not be checked ({e.Message})");
        }
    }
}
