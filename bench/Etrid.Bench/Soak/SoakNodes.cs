using System.Diagnostics;
using Etrid.DevChain.Chain;
using Etrid.DevChain.Rpc;
using Etrid.DevChain.Workloads;

namespace Etrid.Bench.Soak;

/// <summary>
/// The reference chain as two dev-chain nodes over real WebSockets: the same seed and the same blocks, produced in
/// lockstep (one chain), the second serving it a few blocks behind. In this process rather than in their own, because
/// the faults need the node's own switches (served lag, announced genesis, frozen subscriptions) that the
/// <c>devchain</c> verb does not offer; from the exporter's side a killed node is the same (connections reset, the
/// port refused until it is back), and a stopped one nearly so (connections open, nothing notified, every answer
/// held until it resumes; a stopped process would not complete a new WebSocket handshake either).
/// </summary>
internal sealed class SoakNodes : IAsyncDisposable
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

    private readonly Node[] _nodes;
    private readonly Lock _gate = new();

    private SoakNodes(Node[] nodes) => _nodes = nodes;

    /// <summary>The nodes' WebSocket URLs, the first endpoint first.</summary>
    public IReadOnlyList<Uri> Urls => [.. _nodes.Select(n => n.Url)];

    /// <summary>The chain as the first node holds it (the reference).</summary>
    public DevChain.Chain.DevChain Reference => _nodes[0].Chain;

    /// <summary>Whether some node serves the reference chain now (up, not stopped, its own genesis).</summary>
    public bool AnyServing
    {
        get
        {
            lock (_gate)
            {
                return _nodes.Any(n => n.Server is not null && !n.Stopped && !n.Foreign);
            }
        }
    }

    public static async Task<SoakNodes> StartAsync(int seed, int jobs, int gpus, int providers, double arrivalRate, int lag)
    {
        var nodes = new Node[2];
        for (var i = 0; i < nodes.Length; i++)
        {
            var chain = new DevChain.Chain.DevChain(new DevChainOptions
            {
                Seed = seed,
                Jobs = jobs,
                Gpus = gpus,
                Providers = providers,
                BlockTime = TimeSpan.Zero, // produced by the soak, in lockstep
                FinalityLag = 1,
                ArrivalRate = arrivalRate,
                Workload = WorkloadProfile.Bursty(arrivalRate, seed),
            });
            var server = new DevChainServer(chain);
            var url = await server.StartAsync("http://127.0.0.1:0", CancellationToken.None);
            nodes[i] = new Node(chain, url) { Server = server };
        }

        nodes[1].Chain.ServedLag = lag;
        return new SoakNodes(nodes);
    }

    /// <summary>One block on every node; returns the reference's finalized head.</summary>
    public BlockInfo ProduceBlock()
    {
        foreach (var node in _nodes)
        {
            node.Chain.ProduceBlock();
        }

        return Reference.Finalized;
    }

    /// <summary>Tears the node's server down: every connection reset, the port refused.</summary>
    public async Task KillAsync(int node)
    {
        DevChainServer? server;
        lock (_gate)
        {
            server = _nodes[node].Server;
            _nodes[node].Server = null;
        }

        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    /// <summary>A new server for the node on its old port (the chain went on meanwhile, as a node resyncs from its peers).</summary>
    public async Task RestartAsync(int node)
    {
        var n = _nodes[node];
        var server = new DevChainServer(n.Chain);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await server.StartAsync($"http://{n.Url.Authority}", CancellationToken.None);
                break;
            }
            catch (Exception e) when (e is IOException or InvalidOperationException && attempt < 50)
            {
                await Task.Delay(100); // the port is still being released
            }
        }

        lock (_gate)
        {
            n.Server = server;
        }
    }

    /// <summary>
    /// Freezes the node for <paramref name="duration"/>: no notifications, and every request waits until the node
    /// goes on (the delay a request gets is the time left, counted down in steps of 100 ms), as a stopped process.
    /// </summary>
    public async Task StopAsync(int node, TimeSpan duration, Action stoppedOrResumed)
    {
        var n = _nodes[node];
        var resume = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        lock (_gate)
        {
            n.Stopped = true;
        }

        n.Chain.SubscriptionsStalled = true;
        n.Chain.ResponseDelay = duration;
        stoppedOrResumed();
        TimeSpan left;
        while ((left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), resume)) > TimeSpan.Zero)
        {
            n.Chain.ResponseDelay = left;
            await Task.Delay(left < Step ? left : Step);
        }

        n.Chain.ResponseDelay = TimeSpan.Zero;
        n.Chain.SubscriptionsStalled = false;
        lock (_gate)
        {
            n.Stopped = false;
        }

        stoppedOrResumed();
    }

    /// <summary>The node answers another genesis (true) or its own (false); its connections drop, as a node restarted on another chain's data.</summary>
    public void Flip(int node, bool foreign)
    {
        var n = _nodes[node];
        lock (_gate)
        {
            n.Foreign = foreign;
        }

        n.Chain.AnnouncedGenesisHash = foreign ? "0x" + new string('e', 64) : null;
        n.Chain.DropConnections();
    }

    /// <summary>The second node restarts <paramref name="lag"/> blocks behind the first.</summary>
    public void Lag(int lag)
    {
        _nodes[1].Chain.ServedLag = lag;
        _nodes[1].Chain.DropConnections();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            if (node.Server is { } server)
            {
                await server.DisposeAsync();
            }

            await node.Chain.DisposeAsync();
        }
    }

    private sealed class Node(DevChain.Chain.DevChain chain, Uri url)
    {
        public DevChain.Chain.DevChain Chain { get; } = chain;

        public Uri Url { get; } = url;

        public DevChainServer? Server { get; set; }

        public bool Stopped { get; set; }

        public bool Foreign { get; set; }
    }
}
