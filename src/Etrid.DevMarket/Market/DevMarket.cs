using Etrid.DevMarket.OpenApi;
using Etrid.Mithril.Models;
using Etrid.Mithril.Pricing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Etrid.DevMarket.Market;

/// <summary>
/// The dev market's state machine: spot bids, auction rounds on a clock, instances with the observed
/// lifecycle timings (cold boot, resume, pause, preemption window), and a seeded price path. Every
/// operation of the API surface is a method here, taking typed requests and returning a typed
/// <see cref="MarketOutcome"/>; <see cref="Server.DevMarketServer"/> puts HTTP around it (bodies, statuses, problem lists).
/// </summary>
public sealed partial class DevMarket : IDisposable
{
    /// <summary>The FID of the account's user.</summary>
    public const string UserFid = "user_devmarket01";

    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    private const int MaxStartupScript = 10_000;
    private const int MaxNameLength = 128;

    private readonly DevMarketOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Random _ids;
    private readonly Random _prices;
    private readonly Dictionary<string, MarketBid> _bids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MarketInstance> _instances = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Auction> _auctions = new(StringComparer.Ordinal);
    private readonly DateTimeOffset _createdAt;
    private readonly ITimer _timer;
    private DateTimeOffset _nextRound;
    private long _sequence;
    private int _rounds;

    public DevMarket(DevMarketOptions options, TimeProvider? timeProvider = null, ILogger<DevMarket>? logger = null)
    {
        var problems = options.Validate("devmarket").ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException("invalid dev market options: " + string.Join("; ", problems), nameof(options));
        }

        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _ids = new Random(options.Seed);
        _prices = new Random(unchecked(options.Seed * 31 + 7));
        _createdAt = _time.GetUtcNow();
        foreach (var type in options.InstanceTypes)
        {
            _auctions[type.Fid] = new Auction { Fid = "auc_" + type.Fid[3..], Type = type, Region = options.Region, SpotCents = type.BasePriceCents };
        }

        _nextRound = _createdAt + options.AuctionInterval;
        _timer = _time.CreateTimer(_ => Tick(), null, options.TickInterval, options.TickInterval);
    }

    /// <summary>An instance entered or left <c>STATUS_RUNNING</c> (raised outside the market's lock).</summary>
    public event Action<InstanceRunningChange>? InstanceRunningChanged;

    /// <summary>The settings in force.</summary>
    public DevMarketOptions Options => _options;

    /// <summary>The market's clock (the server's injected delays use it too).</summary>
    public TimeProvider TimeProvider => _time;

    /// <summary>Auction rounds run so far.</summary>
    public int Rounds
    {
        get
        {
            lock (_gate)
            {
                return _rounds;
            }
        }
    }

    /// <summary>The current spot price of an instance type, in cents per instance-hour.</summary>
    public long SpotPriceCents(string instanceType)
    {
        lock (_gate)
        {
            return _auctions[instanceType].EffectiveSpotCents;
        }
    }

    /// <summary>Pins the spot price of an instance type (null releases it to the seeded path). Takes effect at the next round.</summary>
    public void SetSpotPrice(string instanceType, long? cents)
    {
        lock (_gate)
        {
            if (!_auctions.TryGetValue(instanceType, out var auction))
            {
                throw new ArgumentException($"unknown instance type {instanceType}", nameof(instanceType));
            }

            if (cents is < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(cents), cents, "a price is not negative");
            }

            auction.PinnedCents = cents;
            if (cents is { } c)
            {
                auction.SpotCents = c;
            }
        }

        LogPriceSet(instanceType, cents);
    }

    /// <summary>Runs an auction round now (tests, the control endpoint); rounds also run on the clock.</summary>
    public void RunAuctionRound()
    {
        var changes = new List<InstanceRunningChange>();
        lock (_gate)
        {
            RoundLocked(_time.GetUtcNow(), changes);
        }

        Raise(changes);
    }

    /// <summary>Every bid as the API would return it, oldest first.</summary>
    public IReadOnlyList<Bid> SnapshotBids()
    {
        lock (_gate)
        {
            return _bids.Values.OrderBy(b => b.Sequence).Select(ToModel).ToList();
        }
    }

    /// <summary>Every instance as the API would return it, oldest first.</summary>
    public IReadOnlyList<Instance> SnapshotInstances()
    {
        lock (_gate)
        {
            return _instances.Values.OrderBy(i => i.Sequence).Select(ToModel).ToList();
        }
    }

    /// <summary>GPUs of instances in <c>STATUS_RUNNING</c>.</summary>
    public int RunningGpus
    {
        get
        {
            lock (_gate)
            {
                return _instances.Values.Where(i => i.Status == InstanceStatus.Running).Sum(i => _auctions[i.InstanceType].Type.NumGpus);
            }
        }
    }

    /// <summary>Applies due transitions and, when due, an auction round. Runs on the clock every tick interval.</summary>
    public void Tick()
    {
        var changes = new List<InstanceRunningChange>();
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            AdvanceLocked(now, changes);
            if (now >= _nextRound)
            {
                RoundLocked(now, changes);
                while (_nextRound <= now)
                {
                    _nextRound += _options.AuctionInterval;
                }
            }
        }

        Raise(changes);
    }

    /// <inheritdoc />
    public void Dispose() => _timer.Dispose();

    // ---- The API surface ----

    /// <summary><c>GET /v2/me</c>.</summary>
    public MarketOutcome Me() => MarketOutcome.Ok(new AccountInfo
    {
        Id = "devmarket-user",
        Fid = UserFid,
        Email = "dev@devmarket.invalid",
        UserName = "dev",
        OrganizationId = "org_devmarket01",
        OrganizationRole = "owner",
    });

    /// <summary><c>GET /v2/projects</c>.</summary>
    public MarketOutcome Projects() => MarketOutcome.Ok(new[] { new Project { Fid = _options.ProjectId, Name = "dev", CreatedAt = _createdAt } });

    /// <summary><c>GET /v2/ssh-keys?project=</c>.</summary>
    public MarketOutcome SshKeys(string project) => MarketOutcome.Ok(project == _options.ProjectId
        ? new[] { new SshKey { Fid = _options.SshKeyId, Name = "dev", Project = project, PublicKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDevMarketKeyOnly dev", CreatedAt = _createdAt } }
        : []);

    /// <summary><c>GET /v2/quotas?project=</c>: a Spot quota per instance type, its capacity as the total.</summary>
    public MarketOutcome Quotas(string project)
    {
        if (project != _options.ProjectId)
        {
            return MarketOutcome.Ok(Array.Empty<Quota>());
        }

        lock (_gate)
        {
            return MarketOutcome.Ok(_auctions.Values.Select(a => new Quota
            {
                Fid = "quota_" + a.Type.Fid[3..],
                Project = project,
                InstanceType = a.Type.Fid,
                ProductType = "Spot",
                TotalQuantity = a.Type.Capacity,
                UsedQuantity = Used(a),
                Units = "instances",
                Name = a.Type.Name + " spot instances",
            }).ToList());
        }
    }

    /// <summary><c>GET /v2/instance-types</c>.</summary>
    public MarketOutcome InstanceTypes() => MarketOutcome.Ok(_options.InstanceTypes.Select(t => new InstanceType
    {
        Fid = t.Fid,
        Name = t.Name,
        NumCpus = 16 * t.NumGpus,
        CpuType = "Intel",
        RamGb = 200 * t.NumGpus,
        NumGpus = t.NumGpus,
        GpuType = t.GpuType,
        GpuMemoryGb = 80,
        GpuSocket = "SXM5",
        LocalStorageGb = 1000 * t.NumGpus,
        NetworkType = t.NumGpus >= 8 ? "InfiniBand" : null,
        IbCount = t.NumGpus >= 8 ? t.NumGpus : 0,
        BridgeCount = 0,
    }).ToList());

    /// <summary><c>GET /v2/spot/availability</c>.</summary>
    public MarketOutcome Availability()
    {
        lock (_gate)
        {
            return MarketOutcome.Ok(_auctions.Values.Select(a => new SpotAuction
            {
                Fid = a.Fid,
                InstanceType = a.Type.Fid,
                Region = a.Region,
                Capacity = Math.Max(0, a.Type.Capacity - Used(a)),
                LastInstancePrice = MithrilPrice.Format(a.EffectiveSpotCents),
                LowestAllocatedPrice = LowestAllocated(a) is { } low ? MithrilPrice.Format(low) : null,
                AdjustableMemory = false,
            }).ToList());
        }
    }

    /// <summary><c>GET /v2/pricing/current</c>.</summary>
    public MarketOutcome CurrentPrices(string instanceType, string? region)
    {
        lock (_gate)
        {
            if (!_auctions.TryGetValue(instanceType, out var a) || (region is not null && region != a.Region))
            {
                return MarketOutcome.Ok(new CurrentPrices());
            }

            return MarketOutcome.Ok(new CurrentPrices
            {
                SpotPriceCents = a.EffectiveSpotCents,
                ReservedPriceCents = a.Type.BasePriceCents * 3 / 2,
                MinimumPriceCents = Math.Max(1, a.Type.BasePriceCents / 4),
                LowestAllocatedBidCents = LowestAllocated(a),
                AvailableCapacity = Math.Max(0, a.Type.Capacity - Used(a)),
                TotalCapacity = a.Type.Capacity,
            });
        }
    }

    /// <summary><c>GET /v2/spot/bids</c> with its filters (already schema-checked).</summary>
    public MarketOutcome ListBids(IReadOnlyDictionary<string, string> query)
    {
        lock (_gate)
        {
            IEnumerable<MarketBid> bids = _bids.Values;
            if (query.TryGetValue("project", out var project))
            {
                bids = bids.Where(b => b.Project == project);
            }

            if (query.TryGetValue("instance_type", out var type))
            {
                bids = bids.Where(b => b.InstanceType == type);
            }

            if (query.TryGetValue("region", out var region))
            {
                bids = bids.Where(b => b.Region == region);
            }

            if (query.TryGetValue("status", out var status))
            {
                bids = bids.Where(b => StatusNames.Format(b.Status) == status);
            }

            if (query.TryGetValue("name", out var name))
            {
                bids = bids.Where(b => b.Name == name);
            }

            var descending = query.TryGetValue("sort_dir", out var dir) && dir == "desc";
            var byStatus = query.TryGetValue("sort_by", out var sortBy) && sortBy == "status";
            var ordered = byStatus
                ? (descending ? bids.OrderByDescending(b => StatusNames.Format(b.Status), StringComparer.Ordinal) : bids.OrderBy(b => StatusNames.Format(b.Status), StringComparer.Ordinal)).ThenBy(b => b.Sequence)
                : descending ? bids.OrderByDescending(b => b.Sequence) : bids.OrderBy(b => b.Sequence);
            return Paged(ordered.Select(ToModel).ToList(), query);
        }
    }

    /// <summary><c>POST /v2/spot/bids</c>: the bid is <c>Open</c> until an auction round allocates it.</summary>
    public MarketOutcome CreateBid(CreateBidRequest request)
    {
        if (request.Project != _options.ProjectId)
        {
            return MarketOutcome.NotFound("Project not found");
        }

        var problems = new List<RequestProblem>();
        if (!_auctions.TryGetValue(request.InstanceType, out var auction))
        {
            problems.Add(new(["body", "instance_type"], "Unknown instance type", "value_error"));
        }

        if (request.Region != _options.Region)
        {
            problems.Add(new(["body", "region"], "Unknown region", "value_error"));
        }

        if (!MithrilPrice.TryParseCents(request.LimitPrice, out var cents) || cents < 1 || !request.LimitPrice.StartsWith('$'))
        {
            problems.Add(new(["body", "limit_price"], "Invalid price: expected dollars like \"$25.60\"", "value_error"));
        }

        if (request.InstanceQuantity < 1 || (auction is not null && request.InstanceQuantity > auction.Type.Capacity))
        {
            problems.Add(new(["body", "instance_quantity"], "Instance quantity out of range", "value_error"));
        }

        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > MaxNameLength)
        {
            problems.Add(new(["body", "name"], $"Name must be 1 to {MaxNameLength} characters", "value_error"));
        }

        for (var i = 0; i < request.LaunchSpecification.SshKeys.Count; i++)
        {
            if (request.LaunchSpecification.SshKeys[i] != _options.SshKeyId)
            {
                problems.Add(new(["body", "launch_specification", "ssh_keys", i], "SSH key not found in project", "value_error"));
            }
        }

        if (request.LaunchSpecification.StartupScript is { Length: > MaxStartupScript })
        {
            problems.Add(new(["body", "launch_specification", "startup_script"], $"Startup script exceeds {MaxStartupScript} characters", "value_error"));
        }

        if (problems.Count > 0)
        {
            return MarketOutcome.Invalid(problems);
        }

        lock (_gate)
        {
            var bid = new MarketBid
            {
                Fid = NewFid("bid_"),
                Name = request.Name,
                Project = request.Project,
                Sequence = ++_sequence,
                CreatedAt = _time.GetUtcNow(),
                LimitCents = cents,
                Quantity = request.InstanceQuantity,
                InstanceType = request.InstanceType,
                Region = request.Region,
                Launch = request.LaunchSpecification,
            };
            _bids[bid.Fid] = bid;
            LogBidCreated(bid.Fid, bid.Name, request.LimitPrice, bid.InstanceType);
            return MarketOutcome.Created(ToModel(bid));
        }
    }

    /// <summary><c>GET /v2/spot/bids/{fid}</c>.</summary>
    public MarketOutcome GetBid(string fid)
    {
        lock (_gate)
        {
            return _bids.TryGetValue(fid, out var bid) ? MarketOutcome.Ok(ToModel(bid)) : MarketOutcome.NotFound("Bid not found");
        }
    }

    /// <summary><c>GET /v2/spot/bids/{fid}/status</c>.</summary>
    public MarketOutcome GetBidStatus(string fid)
    {
        lock (_gate)
        {
            return _bids.TryGetValue(fid, out var bid)
                ? MarketOutcome.Ok(new Dictionary<string, object?> { ["bid_fid"] = bid.Fid, ["status"] = StatusNames.Format(bid.Status) })
                : MarketOutcome.NotFound("Bid not found");
        }
    }

    /// <summary><c>PATCH /v2/spot/bids/{fid}</c>: pause, resume, limit price, volumes, memory.</summary>
    public MarketOutcome UpdateBid(string fid, UpdateBidRequest update)
    {
        long? newLimit = null;
        if (update.LimitPrice is not null)
        {
            if (!MithrilPrice.TryParseCents(update.LimitPrice, out var cents) || cents < 1 || !update.LimitPrice.StartsWith('$'))
            {
                return MarketOutcome.Invalid([new RequestProblem(["body", "limit_price"], "Invalid price: expected dollars like \"$25.60\"", "value_error")]);
            }

            newLimit = cents;
        }

        var changes = new List<InstanceRunningChange>();
        MarketOutcome result;
        lock (_gate)
        {
            if (!_bids.TryGetValue(fid, out var bid))
            {
                return MarketOutcome.NotFound("Bid not found");
            }

            if (bid.Status == BidStatus.Terminated)
            {
                return MarketOutcome.Refused("Bid is terminated");
            }

            var now = _time.GetUtcNow();
            if (newLimit is { } limit)
            {
                bid.LimitCents = limit;
            }

            if (update.Volumes is not null || update.MemoryGb is not null)
            {
                bid.Launch = bid.Launch with { Volumes = update.Volumes ?? bid.Launch.Volumes, MemoryGb = update.MemoryGb ?? bid.Launch.MemoryGb };
            }

            if (update.Paused == true && bid.Status != BidStatus.Paused)
            {
                PauseLocked(bid, now, changes);
            }
            else if (update.Paused == false && bid.Status == BidStatus.Paused)
            {
                ResumeLocked(bid, now, changes);
            }

            result = MarketOutcome.Ok(ToModel(bid));
        }

        Raise(changes);
        return result;
    }

    /// <summary><c>DELETE /v2/spot/bids/{fid}</c>: terminates the bid and its instances (204; again on a terminated bid).</summary>
    public MarketOutcome CancelBid(string fid)
    {
        var changes = new List<InstanceRunningChange>();
        lock (_gate)
        {
            if (!_bids.TryGetValue(fid, out var bid))
            {
                return MarketOutcome.NotFound("Bid not found");
            }

            if (bid.Status != BidStatus.Terminated)
            {
                var now = _time.GetUtcNow();
                bid.Status = BidStatus.Terminated;
                bid.DeactivatedAt = now;
                bid.PreemptionEndsAt = null;
                foreach (var instance in InstancesOf(bid))
                {
                    SetStatus(instance, InstanceStatus.Terminated, null, now, changes);
                }

                LogBidCancelled(bid.Fid, bid.Name);
            }
        }

        Raise(changes);
        return MarketOutcome.Deleted;
    }

    /// <summary><c>GET /v2/instances</c> with its filters (already schema-checked).</summary>
    public MarketOutcome ListInstances(IReadOnlyDictionary<string, string> query)
    {
        lock (_gate)
        {
            IEnumerable<MarketInstance> instances = _instances.Values;
            if (query.TryGetValue("project", out var project) && project != _options.ProjectId)
            {
                instances = [];
            }

            if (query.TryGetValue("instance_type", out var type))
            {
                instances = instances.Where(i => i.InstanceType == type);
            }

            if (query.TryGetValue("region", out var region))
            {
                instances = instances.Where(i => i.Region == region);
            }

            if (query.TryGetValue("bid_fid_in", out var bidFids))
            {
                var set = bidFids.Split(',').ToHashSet(StringComparer.Ordinal);
                instances = instances.Where(i => set.Contains(i.BidFid));
            }

            if (query.TryGetValue("status_in", out var statuses))
            {
                var set = statuses.Split(',').ToHashSet(StringComparer.Ordinal);
                instances = instances.Where(i => set.Contains(StatusNames.Format(i.Status)));
            }

            if (query.TryGetValue("order_type_in", out var orderTypes) && !orderTypes.Split(',').Contains("Bid"))
            {
                instances = [];
            }

            var descending = query.TryGetValue("sort_dir", out var dir) && dir == "desc";
            var ordered = descending ? instances.OrderByDescending(i => i.Sequence) : instances.OrderBy(i => i.Sequence);
            return Paged(ordered.Select(ToModel).ToList(), query);
        }
    }

    /// <summary><c>GET /v2/instances/{fid}/status</c>.</summary>
    public MarketOutcome GetInstanceStatus(string fid)
    {
        lock (_gate)
        {
            return _instances.TryGetValue(fid, out var i)
                ? MarketOutcome.Ok(new Dictionary<string, object?>
                {
                    ["fid"] = i.Fid,
                    ["name"] = i.Name,
                    ["status"] = StatusNames.Format(i.Status),
                    ["bid"] = i.BidFid,
                    ["reservation"] = null,
                    ["end_time"] = i.EndTime,
                })
                : MarketOutcome.NotFound("Instance not found");
        }
    }

    // ---- The state machine (all under the lock) ----

    private void AdvanceLocked(DateTimeOffset now, List<InstanceRunningChange> changes)
    {
        foreach (var instance in _instances.Values.Where(i => i.DueAt <= now).OrderBy(i => i.Sequence).ToList())
        {
            switch (instance.Status)
            {
                case InstanceStatus.Starting:
                    SetStatus(instance, InstanceStatus.Running, null, now, changes);
                    break;
                case InstanceStatus.Stopping:
                    SetStatus(instance, InstanceStatus.Paused, null, now, changes);
                    break;
                default:
                    instance.DueAt = null;
                    break;
            }
        }

        foreach (var bid in _bids.Values.Where(b => b.Status == BidStatus.Preempting && b.PreemptionEndsAt <= now).OrderBy(b => b.Sequence).ToList())
        {
            // The bid is not cancelled: it returns to the auction and may win again.
            foreach (var instance in InstancesOf(bid))
            {
                SetStatus(instance, InstanceStatus.Preempted, null, now, changes);
            }

            bid.Status = BidStatus.Open;
            bid.PreemptionEndsAt = null;
            bid.InstanceFids.Clear();
            LogBidPreempted(bid.Fid, bid.Name);
        }
    }

    private void RoundLocked(DateTimeOffset now, List<InstanceRunningChange> changes)
    {
        _rounds++;
        foreach (var auction in _auctions.Values)
        {
            if (auction.PinnedCents is null)
            {
                var move = (_prices.NextDouble() * 2 - 1) * _options.PriceVolatility;
                var next = (long)Math.Round(auction.SpotCents * (1 + move), MidpointRounding.AwayFromZero);
                auction.SpotCents = Math.Clamp(next, Math.Max(1, auction.Type.BasePriceCents / 2), auction.Type.BasePriceCents * 2);
            }

            var spot = auction.EffectiveSpotCents;
            var live = _bids.Values.Where(b => b.InstanceType == auction.Type.Fid && b.Region == auction.Region).OrderBy(b => b.Sequence).ToList();
            foreach (var bid in live.Where(b => b.Status == BidStatus.Allocated && b.LimitCents < spot))
            {
                bid.Status = BidStatus.Preempting;
                bid.PreemptionEndsAt = now + _options.PreemptionWindow;
                foreach (var instance in InstancesOf(bid).Where(i => i.Status is InstanceStatus.Starting or InstanceStatus.Running))
                {
                    SetStatus(instance, InstanceStatus.Preempting, null, now, changes);
                    instance.EndTime = bid.PreemptionEndsAt;
                }

                LogBidPreempting(bid.Fid, bid.Name, MithrilPrice.Format(bid.LimitCents), MithrilPrice.Format(spot));
            }

            var used = Used(auction);
            foreach (var bid in live.Where(b => b.Status == BidStatus.Open && b.LimitCents > spot).OrderByDescending(b => b.LimitCents).ThenBy(b => b.Sequence))
            {
                if (used + bid.Quantity > auction.Type.Capacity)
                {
                    continue;
                }

                AllocateLocked(bid, now, changes);
                used += bid.Quantity;
            }
        }
    }

    private void AllocateLocked(MarketBid bid, DateTimeOffset now, List<InstanceRunningChange> changes)
    {
        var warm = InstancesOf(bid).Where(i => i.Status is InstanceStatus.Paused or InstanceStatus.Stopping).ToList();
        bid.Status = BidStatus.Allocated;
        if (warm.Count > 0 && !_options.ResumeOnNewInstance)
        {
            // A resumed bid restarts its kept instance: the boot disk survived the pause.
            foreach (var instance in warm)
            {
                SetStatus(instance, InstanceStatus.Starting, now + _options.ResumeBoot, now, changes);
            }
        }
        else
        {
            bid.InstanceFids.Clear();
            for (var n = 1; n <= bid.Quantity; n++)
            {
                var sequence = ++_sequence;
                var instance = new MarketInstance
                {
                    Fid = NewFid("inst_"),
                    Name = $"{bid.Name}-{n}",
                    BidFid = bid.Fid,
                    Sequence = sequence,
                    InstanceType = bid.InstanceType,
                    Region = bid.Region,
                    CreatedAt = now,
                    PrivateIp = $"10.77.{sequence / 250 % 250}.{(sequence % 250) + 1}",
                    Status = InstanceStatus.Starting,

                    // Resumed elsewhere, the kept boot disk still shortens the boot; the paused instance stays listed under the bid.
                    DueAt = now + (warm.Count > 0 ? _options.ResumeBoot : _options.ColdBoot),
                };
                _instances[instance.Fid] = instance;
                bid.InstanceFids.Add(instance.Fid);
            }
        }

        LogBidAllocated(bid.Fid, bid.Name, warm.Count > 0);
    }

    private void PauseLocked(MarketBid bid, DateTimeOffset now, List<InstanceRunningChange> changes)
    {
        bid.Status = BidStatus.Paused;
        bid.PreemptionEndsAt = null;
        foreach (var instance in InstancesOf(bid).Where(i => i.Status is InstanceStatus.Starting or InstanceStatus.Running or InstanceStatus.Preempting))
        {
            SetStatus(instance, InstanceStatus.Stopping, now + _options.PauseStop, now, changes);
            instance.EndTime = null;
        }

        LogBidPaused(bid.Fid, bid.Name);
    }

    private void ResumeLocked(MarketBid bid, DateTimeOffset now, List<InstanceRunningChange> changes)
    {
        var auction = _auctions[bid.InstanceType];
        bid.Status = BidStatus.Open;
        if (bid.LimitCents > auction.EffectiveSpotCents && Used(auction) + bid.Quantity <= auction.Type.Capacity)
        {
            AllocateLocked(bid, now, changes);
        }

        LogBidResumed(bid.Fid, bid.Name, StatusNames.Format(bid.Status));
    }

    private void SetStatus(MarketInstance instance, InstanceStatus status, DateTimeOffset? dueAt, DateTimeOffset now, List<InstanceRunningChange> changes)
    {
        var was = instance.Status;
        instance.Status = status;
        instance.DueAt = dueAt;
        if ((was == InstanceStatus.Running) != (status == InstanceStatus.Running))
        {
            var bid = _bids[instance.BidFid];
            changes.Add(new InstanceRunningChange(instance.Fid, bid.Fid, bid.Name, instance.InstanceType, _auctions[instance.InstanceType].Type.NumGpus, status == InstanceStatus.Running, now));
        }
    }

    private IEnumerable<MarketInstance> InstancesOf(MarketBid bid) =>
        bid.InstanceFids.Select(f => _instances[f]);

    private int Used(Auction auction) =>
        _bids.Values.Where(b => b.InstanceType == auction.Type.Fid && b.Region == auction.Region && b.Occupies).Sum(b => b.Quantity);

    private long? LowestAllocated(Auction auction) =>
        _bids.Values.Where(b => b.InstanceType == auction.Type.Fid && b.Occupies).Select(b => (long?)b.LimitCents).Min();

    private MarketOutcome Paged<T>(List<T> items, IReadOnlyDictionary<string, string> query)
    {
        var limit = query.TryGetValue("limit", out var text) && int.TryParse(text, out var n) ? n : _options.DefaultPageSize;
        long offset = 0;
        if (query.TryGetValue("next_cursor", out var cursor) && !PageCursor.TryDecode(cursor, out offset))
        {
            return MarketOutcome.Invalid([new RequestProblem(["query", "next_cursor"], "Invalid cursor", "value_error")]);
        }

        var page = items.Skip((int)Math.Min(offset, items.Count)).Take(limit).ToList();
        var end = offset + page.Count;
        return MarketOutcome.Ok(new Page<T> { Data = page, NextCursor = end < items.Count ? PageCursor.Encode(end) : null });
    }

    private string NewFid(string prefix)
    {
        Span<char> chars = stackalloc char[12];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[_ids.Next(Alphabet.Length)];
        }

        return prefix + new string(chars);
    }

    private Bid ToModel(MarketBid b) => new()
    {
        Fid = b.Fid,
        Name = b.Name,
        Project = b.Project,
        CreatedBy = UserFid,
        CreatedAt = b.CreatedAt,
        DeactivatedAt = b.DeactivatedAt,
        LimitPrice = MithrilPrice.Format(b.LimitCents),
        InstanceQuantity = b.Quantity,
        InstanceType = b.InstanceType,
        Region = b.Region,
        Instances = [.. b.InstanceFids],
        LaunchSpecification = b.Launch,
        StatusText = StatusNames.Format(b.Status),
    };

    private Instance ToModel(MarketInstance i) => new()
    {
        Fid = i.Fid,
        Name = i.Name,
        Project = _options.ProjectId,
        CreatedAt = i.CreatedAt,
        CreatedBy = UserFid,
        InstanceType = i.InstanceType,
        Region = i.Region,
        Bid = i.BidFid,
        SshDestination = i.Status is InstanceStatus.Running or InstanceStatus.Preempting or InstanceStatus.Stopping ? $"{i.PrivateIp}.devmarket.invalid" : null,
        PrivateIp = i.PrivateIp,
        StatusText = StatusNames.Format(i.Status),
    };

    private void Raise(List<InstanceRunningChange> changes)
    {
        foreach (var change in changes)
        {
            if (change.Running)
            {
                LogInstanceRunning(change.InstanceFid, change.BidName, change.NumGpus);
            }
            else
            {
                LogInstanceStopped(change.InstanceFid, change.BidName, change.NumGpus);
            }

            InstanceRunningChanged?.Invoke(change);
        }
    }
}
