using Etrid.AiCompute.Snapshots;
using Etrid.Scaling.Catalogue;
using Etrid.Scaling.Keda.Protocol;
using Etrid.Scaling.Telemetry;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Etrid.Scaling.Keda;

/// <summary>
/// KEDA's <c>externalscaler.ExternalScaler</c> on the chain's figures (spec §3.2). Every answer comes
/// from the latest snapshot in memory; stale figures are UNAVAILABLE (KEDA stamps its own clock, so
/// the scaler must refuse them itself); bad trigger metadata is INVALID_ARGUMENT. No state is kept
/// per ScaledObject (there is no Close RPC).
/// </summary>
internal sealed class KedaScalerService(IChainSnapshotSource source, KedaScalerOptions options, MetricCatalogue catalogue, ScalingTelemetry telemetry, ILogger<KedaScalerService> logger)
    : ExternalScaler.ExternalScalerBase
{
    public MetricCatalogue Catalogue => catalogue;

    public override Task<IsActiveResponse> IsActive(ScaledObjectRef request, ServerCallContext context) => Counted(nameof(IsActive), request, metadata =>
    {
        var answer = Query(request, metadata, nameof(IsActive));
        return new IsActiveResponse { Result = metadata.IsActive(answer.Sum) };
    });

    public override async Task StreamIsActive(ScaledObjectRef request, IServerStreamWriter<IsActiveResponse> responseStream, ServerCallContext context)
    {
        var started = telemetry.Timestamp();
        ScalerMetadata metadata;
        try
        {
            metadata = Metadata(request, nameof(StreamIsActive));
        }
        catch (RpcException e)
        {
            telemetry.ScalerRequest(nameof(StreamIsActive), e.StatusCode.ToString(), started, null, Identity(request));
            throw;
        }

        KedaScalerLog.StreamOpened(logger, request.Namespace, request.Name, metadata.Metric);
        telemetry.StreamOpened();
        bool? sent = null;
        try
        {
            // Driven by the snapshot seam: each new snapshot is judged at once, nothing polls.
            await foreach (var _ in source.WatchAsync(context.CancellationToken).ConfigureAwait(false))
            {
                var reading = source.Read(options.MaxDataAge);
                var answer = catalogue.Query(reading, metadata.Metric, metadata.Selector);
                if (answer.Outcome != MetricOutcome.Ok)
                {
                    // Stale or unusable: say nothing; KEDA's polls get the error and never scale to zero on it.
                    continue;
                }

                var active = metadata.IsActive(answer.Sum);
                // The current state on open, then every change (KEDA acts on true and ignores false).
                if (sent != active)
                {
                    await responseStream.WriteAsync(new IsActiveResponse { Result = active }, context.CancellationToken).ConfigureAwait(false);
                    KedaScalerLog.StreamPushed(logger, active, request.Namespace, request.Name, answer.Snapshot!.BlockNumber);
                    telemetry.Pushed(active);
                    sent = active;
                }
            }
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // KEDA closed the stream or the server is stopping.
        }
        finally
        {
            telemetry.StreamClosed();
            telemetry.ScalerRequest(nameof(StreamIsActive), nameof(StatusCode.OK), started, metadata.Metric, Identity(request), stream: true);
        }
    }

    public override Task<GetMetricSpecResponse> GetMetricSpec(ScaledObjectRef request, ServerCallContext context) => Counted(nameof(GetMetricSpec), request, metadata =>
    {
        var response = new GetMetricSpecResponse();
        response.MetricSpecs.Add(new MetricSpec
        {
            MetricName = metadata.Metric,
#pragma warning disable CS0612 // pre-2.17 KEDA reads only the integer target
            TargetSize = (long)Math.Ceiling(metadata.Target),
#pragma warning restore CS0612
            TargetSizeFloat = metadata.Target,
        });
        return response;
    });

    public override Task<GetMetricsResponse> GetMetrics(GetMetricsRequest request, ServerCallContext context) => Counted(nameof(GetMetrics), request.ScaledObjectRef ?? new ScaledObjectRef(), metadata =>
    {
        var target = request.ScaledObjectRef ?? new ScaledObjectRef();
        if (request.MetricName.Length > 0 && catalogue.Resolve(request.MetricName) != metadata.Metric)
        {
            var reason = $"metricName '{Clip(request.MetricName)}' is not the trigger's metric {metadata.Metric}";
            KedaScalerLog.InvalidMetadata(logger, nameof(GetMetrics), target.Namespace, target.Name, reason);
            throw new RpcException(new Status(StatusCode.InvalidArgument, reason));
        }

        var answer = Query(target, metadata, nameof(GetMetrics));
        var sum = answer.Sum;
        var response = new GetMetricsResponse();
        response.MetricValues.Add(new MetricValue
        {
            MetricName = metadata.Metric,
#pragma warning disable CS0612 // KEDA falls back to the integer when the float is 0, and pre-2.17 reads only it
            MetricValue_ = (long)Math.Round(sum, MidpointRounding.AwayFromZero),
#pragma warning restore CS0612
            MetricValueFloat = sum,
        });
        return response;
    });

    private Task<T> Counted<T>(string rpc, ScaledObjectRef target, Func<ScalerMetadata, T> answer)
    {
        var started = telemetry.Timestamp();
        string? metric = null;
        try
        {
            var metadata = Metadata(target, rpc);
            metric = metadata.Metric;
            var result = answer(metadata);
            telemetry.ScalerRequest(rpc, nameof(StatusCode.OK), started, metric, Identity(target));
            return Task.FromResult(result);
        }
        catch (RpcException e)
        {
            telemetry.ScalerRequest(rpc, e.StatusCode.ToString(), started, metric, Identity(target));
            throw;
        }
    }

    // The ScaledObject asking: KEDA is the only caller, so which object it asks for is what tells calls apart.
    private static string? Identity(ScaledObjectRef target) =>
        target.Namespace.Length == 0 && target.Name.Length == 0 ? null : $"{target.Namespace}/{target.Name}";

    private ScalerMetadata Metadata(ScaledObjectRef request, string rpc)
    {
        try
        {
            return ScalerMetadata.Parse(request.ScalerMetadata, catalogue, options.DefaultMetric);
        }
        catch (ScalerMetadataException e)
        {
            KedaScalerLog.InvalidMetadata(logger, rpc, request.Namespace, request.Name, e.Message);
            throw new RpcException(new Status(StatusCode.InvalidArgument, e.Message));
        }
    }

    private MetricAnswer Query(ScaledObjectRef request, ScalerMetadata metadata, string rpc)
    {
        var answer = catalogue.Query(source.Read(options.MaxDataAge), metadata.Metric, metadata.Selector);
        switch (answer.Outcome)
        {
            case MetricOutcome.Ok:
                return answer;
            case MetricOutcome.Unavailable:
                KedaScalerLog.Unavailable(logger, rpc, request.Namespace, request.Name, answer.Message);
                throw new RpcException(new Status(StatusCode.Unavailable, answer.Message));
            default:
                KedaScalerLog.InvalidValue(logger, rpc, request.Namespace, request.Name, answer.Message);
                throw new RpcException(new Status(StatusCode.Internal, answer.Message));
        }
    }

    private static string Clip(string s) => s.Length <= 70 ? s : s[..70] + "…";
}
