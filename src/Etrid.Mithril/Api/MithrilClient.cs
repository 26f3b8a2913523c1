using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Etrid.Mithril.Errors;
using Etrid.Mithril.Models;
using Etrid.Mithril.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Etrid.Mithril.Api;

/// <summary>
/// The Mithril API v2 client over HTTP: bearer auth on every call, query strings escaped, bodies in
/// snake_case with unset fields omitted, responses bounded, failures typed. Resilience (retries,
/// circuit breaker, per-attempt timeout) lives in the handler chain, with the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed partial class MithrilClient : IMithrilApi, IDisposable
{
    private static readonly MediaTypeHeaderValue JsonType = new("application/json");

    private readonly MithrilClientOptions _options;
    private readonly HttpClient _http;
    private readonly ILogger _logger;

    /// <summary>Builds a client; <paramref name="primaryHandler"/> replaces the socket handler (tests, proxies).</summary>
    public MithrilClient(MithrilClientOptions options, ILogger<MithrilClient>? logger = null, TimeProvider? timeProvider = null, HttpMessageHandler? primaryHandler = null)
    {
        var problems = options.Validate("mithril").ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException("invalid Mithril client options: " + string.Join("; ", problems), nameof(options));
        }

        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        var inner = primaryHandler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false };
        var resilience = MithrilResiliencePipeline.CreateHandler(options, timeProvider ?? TimeProvider.System, _logger, Stats, inner);

        // The pipeline owns timeouts; HttpClient's own would cut across retries.
        _http = new HttpClient(resilience, disposeHandler: true) { BaseAddress = options.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("etrid-exporter", "1.0"));
    }

    /// <summary>Count and duration of every attempt, per operation and outcome (status code, timeout, transport_error, refused_body).</summary>
    public MithrilCallStats Stats { get; } = new();

    /// <inheritdoc />
    public Task<AccountInfo> GetMeAsync(CancellationToken cancellationToken) =>
        SendAsync<AccountInfo>(HttpMethod.Get, "me", null, null, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<Project>> ListProjectsAsync(CancellationToken cancellationToken) =>
        await SendAsync<List<Project>>(HttpMethod.Get, "projects", null, null, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<IReadOnlyList<SshKey>> ListSshKeysAsync(string project, CancellationToken cancellationToken) =>
        await SendAsync<List<SshKey>>(HttpMethod.Get, "ssh-keys", [new("project", project)], null, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<IReadOnlyList<Quota>> ListQuotasAsync(string project, CancellationToken cancellationToken) =>
        await SendAsync<List<Quota>>(HttpMethod.Get, "quotas", [new("project", project)], null, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<IReadOnlyList<InstanceType>> ListInstanceTypesAsync(CancellationToken cancellationToken) =>
        await SendAsync<List<InstanceType>>(HttpMethod.Get, "instance-types", null, null, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<IReadOnlyList<SpotAuction>> ListSpotAvailabilityAsync(CancellationToken cancellationToken) =>
        await SendAsync<List<SpotAuction>>(HttpMethod.Get, "spot/availability", null, null, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public Task<CurrentPrices> GetCurrentPricesAsync(string instanceType, string? region, CancellationToken cancellationToken)
    {
        var query = new List<KeyValuePair<string, string>> { new("instance_type", instanceType) };
        Add(query, "region", region);
        query.Add(new("instance_quantity", "1"));
        return SendAsync<CurrentPrices>(HttpMethod.Get, "pricing/current", query, null, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Bid>> ListBidsAsync(BidQuery query, CancellationToken cancellationToken) =>
        ListAllAsync<Bid>("spot/bids", BidFilters(query), cancellationToken);

    /// <inheritdoc />
    public Task<Page<Bid>> ListBidsPageAsync(BidQuery query, int limit, string? cursor, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 100);
        var filters = BidFilters(query);
        filters.Add(new("limit", limit.ToString(CultureInfo.InvariantCulture)));
        Add(filters, "next_cursor", cursor);
        return SendAsync<Page<Bid>>(HttpMethod.Get, "spot/bids", filters, null, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<Bid?> FindBidByNameAsync(string project, string name, CancellationToken cancellationToken)
    {
        var bids = await ListBidsAsync(new BidQuery { Project = project, Name = name }, cancellationToken).ConfigureAwait(false);

        // The filter is exact on the server; checking again costs nothing and guards a lenient server.
        return bids.Where(b => string.Equals(b.Name, name, StringComparison.Ordinal))
            .OrderByDescending(b => b.CreatedAt)
            .FirstOrDefault();
    }

    /// <inheritdoc />
    public async Task<Bid> CreateBidAsync(CreateBidRequest request, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Name);
        MithrilException? last = null;
        for (var attempt = 1; attempt <= _options.CreateAttempts; attempt++)
        {
            try
            {
                return await SendAsync<Bid>(HttpMethod.Post, "spot/bids", null, request, cancellationToken).ConfigureAwait(false);
            }
            catch (MithrilApiException e) when ((int)e.StatusCode >= 500)
            {
                last = e;
                LogCreateOutcomeUnknown(request.Name, $"{(int)e.StatusCode}");
            }
            catch (MithrilUnavailableException e) when (e.MayHaveBeenSent)
            {
                last = e;
                LogCreateOutcomeUnknown(request.Name, "no answer");
            }

            // Not idempotent: before another POST, find out whether the last one took effect.
            var existing = await FindBidByNameAsync(request.Project, request.Name, cancellationToken).ConfigureAwait(false);
            if (existing is not null)
            {
                LogCreateAdopted(request.Name, existing.Fid);
                return existing;
            }

            if (attempt < _options.CreateAttempts)
            {
                LogCreateRetrying(request.Name, attempt + 1);
            }
        }

        throw last!;
    }

    /// <inheritdoc />
    public Task<Bid> GetBidAsync(string bidFid, CancellationToken cancellationToken) =>
        SendAsync<Bid>(HttpMethod.Get, BidPath(bidFid), null, null, cancellationToken);

    /// <inheritdoc />
    public Task<Bid> UpdateBidAsync(string bidFid, UpdateBidRequest update, CancellationToken cancellationToken) =>
        SendAsync<Bid>(HttpMethod.Patch, BidPath(bidFid), null, update, cancellationToken);

    /// <inheritdoc />
    public async Task<bool> CancelBidAsync(string bidFid, CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync<object?>(HttpMethod.Delete, BidPath(bidFid), null, null, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (MithrilApiException e) when (e.IsNotFound)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Instance>> ListInstancesAsync(InstanceQuery query, CancellationToken cancellationToken)
    {
        var filters = new List<KeyValuePair<string, string>> { new("project", query.Project) };
        Add(filters, "instance_type", query.InstanceType);
        Add(filters, "region", query.Region);
        if (query.Statuses is { Count: > 0 } statuses)
        {
            filters.Add(new("status_in", string.Join(',', statuses.Select(StatusNames.Format))));
        }

        if (query.BidFids is { Count: > 0 } fids)
        {
            filters.Add(new("bid_fid_in", string.Join(',', fids)));
        }

        return ListAllAsync<Instance>("instances", filters, cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private static List<KeyValuePair<string, string>> BidFilters(BidQuery query)
    {
        var filters = new List<KeyValuePair<string, string>>();
        Add(filters, "project", query.Project);
        Add(filters, "instance_type", query.InstanceType);
        Add(filters, "region", query.Region);
        Add(filters, "status", query.Status is { } s ? StatusNames.Format(s) : null);
        Add(filters, "name", query.Name);
        Add(filters, "sort_by", query.SortBy);
        Add(filters, "sort_dir", query.SortDirection);
        return filters;
    }

    private static void Add(List<KeyValuePair<string, string>> query, string key, string? value)
    {
        if (value is not null)
        {
            query.Add(new(key, value));
        }
    }

    private static string BidPath(string bidFid)
    {
        if (string.IsNullOrEmpty(bidFid) || !bidFid.StartsWith("bid_", StringComparison.Ordinal) || bidFid.Length > 128)
        {
            throw new ArgumentException($"'{bidFid}' is not a bid FID (bid_…)", nameof(bidFid));
        }

        return "spot/bids/" + Uri.EscapeDataString(bidFid);
    }

    /// <summary>Follows <c>next_cursor</c> to the end, refusing more than <c>max_pages</c> pages or a cursor seen before.</summary>
    private async Task<IReadOnlyList<T>> ListAllAsync<T>(string path, List<KeyValuePair<string, string>> filters, CancellationToken cancellationToken)
    {
        var all = new List<T>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? cursor = null;
        for (var page = 0; page < _options.MaxPages; page++)
        {
            var query = new List<KeyValuePair<string, string>>(filters) { new("limit", _options.PageSize.ToString(CultureInfo.InvariantCulture)) };
            Add(query, "next_cursor", cursor);
            var result = await SendAsync<Page<T>>(HttpMethod.Get, path, query, null, cancellationToken).ConfigureAwait(false);
            all.AddRange(result.Data);
            if (string.IsNullOrEmpty(result.NextCursor))
            {
                return all;
            }

            if (!seen.Add(result.NextCursor))
            {
                throw new MithrilResponseException($"GET /v2/{path}: the server repeated a page cursor (paging loop)");
            }

            cursor = result.NextCursor;
        }

        throw new MithrilResponseException($"GET /v2/{path}: more than {_options.MaxPages} pages (max_pages)");
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, List<KeyValuePair<string, string>>? query, object? body, CancellationToken cancellationToken)
    {
        var display = "/v2/" + path;
        using var request = new HttpRequestMessage(method, BuildUri(path, query));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiToken);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), MithrilJson.Options));
            request.Content.Headers.ContentType = JsonType;
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (BrokenCircuitException e)
        {
            throw new MithrilUnavailableException($"{method.Method} {display}: refused while the circuit is open (the API failed repeatedly)", e) { CircuitOpen = true };
        }
        catch (TimeoutRejectedException e)
        {
            throw new MithrilUnavailableException($"{method.Method} {display}: no answer within {_options.RequestTimeout.TotalSeconds:F0} s", e) { MayHaveBeenSent = true };
        }
        catch (HttpRequestException e)
        {
            throw new MithrilUnavailableException($"{method.Method} {display}: {e.HttpRequestError} ({e.Message})", e)
            {
                MayHaveBeenSent = e.HttpRequestError != HttpRequestError.ConnectionError,
            };
        }

        using (response)
        {
            // The handler has already buffered the body within the size bound.
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var (detail, problems) = ErrorBodyReader.Read(bytes);
                LogCallFailed(method.Method, display, (int)response.StatusCode);
                throw new MithrilApiException(method.Method, display, response.StatusCode, detail, problems);
            }

            if (typeof(T) == typeof(object) || response.StatusCode == HttpStatusCode.NoContent)
            {
                return default!;
            }

            try
            {
                return JsonSerializer.Deserialize<T>(bytes, MithrilJson.Options)
                    ?? throw new MithrilResponseException($"{method.Method} {display}: the response body is null");
            }
            catch (JsonException e)
            {
                throw new MithrilResponseException($"{method.Method} {display}: the response is not the expected JSON ({e.Message})", e);
            }
        }
    }

    private static string BuildUri(string path, List<KeyValuePair<string, string>>? query)
    {
        if (query is null || query.Count == 0)
        {
            return path;
        }

        var text = new StringBuilder(path).Append('?');
        for (var i = 0; i < query.Count; i++)
        {
            if (i > 0)
            {
                text.Append('&');
            }

            text.Append(Uri.EscapeDataString(query[i].Key)).Append('=').Append(Uri.EscapeDataString(query[i].Value));
        }

        return text.ToString();
    }

    [LoggerMessage(EventId = 603, Level = LogLevel.Warning, Message = "Creating bid {Name}: outcome unknown ({Reason}); looking the name up before any retry")]
    private partial void LogCreateOutcomeUnknown(string name, string reason);

    [LoggerMessage(EventId = 604, Level = LogLevel.Information, Message = "Creating bid {Name}: it exists as {Fid}; adopted, not posted again")]
    private partial void LogCreateAdopted(string name, string fid);

    [LoggerMessage(EventId = 605, Level = LogLevel.Information, Message = "Creating bid {Name}: not found after an unknown outcome; attempt {Attempt} with the same name")]
    private partial void LogCreateRetrying(string name, int attempt);

    [LoggerMessage(EventId = 606, Level = LogLevel.Debug, Message = "Mithril {Method} {Path} answered {Status}")]
    private partial void LogCallFailed(string method, string path, int status);
}
