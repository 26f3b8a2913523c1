using Etrid.AiCompute.Snapshots;
using Etrid.Scaling.Keda;
using Etrid.Scaling.Keda.Protocol;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Etrid.Scaling.Tests.Support;

/// <summary>A host serving the KEDA scaler on its own loopback listener; a real gRPC client over it.</summary>
internal sealed class ScalerHarness : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ScalerHarness(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
        Channel = GrpcChannel.ForAddress(url);
        Client = new ExternalScaler.ExternalScalerClient(Channel);
    }

    public Uri Url { get; }

    public IServiceProvider Services => _app.Services;

    public GrpcChannel Channel { get; }

    public ExternalScaler.ExternalScalerClient Client { get; }

    public static async Task<ScalerHarness> StartAsync(IChainSnapshotSource source, KedaScalerOptions? options = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(source);
        builder.Services.AddKedaScaler(options ?? new KedaScalerOptions { Listen = "http://127.0.0.1:0" });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenKedaScaler());
        var app = builder.Build();
        app.MapKedaScaler();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new ScalerHarness(app, new Uri(address));
    }

    public static ScaledObjectRef Ref(params (string Key, string Value)[] metadata)
    {
        var reference = new ScaledObjectRef { Name = "etrid-gpu-provider", Namespace = "etrid-ai-compute" };
        reference.ScalerMetadata.Add("scalerAddress", "etrid-keda-scaler.etrid-ai-compute.svc.cluster.local:6000");
        foreach (var (key, value) in metadata)
        {
            reference.ScalerMetadata[key] = value;
        }

        return reference;
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
