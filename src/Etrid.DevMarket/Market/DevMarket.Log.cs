using Microsoft.Extensions.Logging;

namespace Etrid.DevMarket.Market;

/// <summary>The market's log messages, event ids 710-719.</summary>
public sealed partial class DevMarket
{
    [LoggerMessage(EventId = 710, Level = LogLevel.Information, Message = "Dev market: bid {Fid} ({Name}) placed at {LimitPrice} for {InstanceType}")]
    private partial void LogBidCreated(string fid, string name, string limitPrice, string instanceType);

    [LoggerMessage(EventId = 711, Level = LogLevel.Information, Message = "Dev market: bid {Fid} ({Name}) allocated (resumed instance: {Warm})")]
    private partial void LogBidAllocated(string fid, string name, bool warm);

    [LoggerMessage(EventId = 712, Level = LogLevel.Information, Message = "Dev market: bid {Fid} ({Name}) preempting: limit {LimitPrice} below spot {SpotPrice}")]
    private partial void LogBidPreempting(string fid, string name, string limitPrice, string spotPrice);

    [LoggerMessage(EventId = 713, Level = LogLevel.Information, Message = "Dev market: bid {Fid} ({Name}) preempted; back in the auction")]
    private partial void LogBidPreempted(string fid, string name);

    [LoggerMessage(EventId = 714, Level = LogLevel.Information, Message = "Dev market: bid {Fid} ({Name}) paused")]
    private partial void LogBidPaused(string fid, string name);

    [LoggerMessage(EventId = 715, Level = LogLevel.Information, Message = "Dev market: bid {Fid} ({Name}) resumed, now {Status}")]
    private partial void LogBidResumed(string fid, string name, string status);

    [LoggerMessage(EventId = 716, Level = LogLevel.Information, Message = "Dev market: bid {Fid} ({Name}) cancelled")]
    private partial void LogBidCancelled(string fid, string name);

    [LoggerMessage(EventId = 717, Level = LogLevel.Information, Message = "Dev market: instance {Fid} of {BidName} running ({Gpus} GPUs)")]
    private partial void LogInstanceRunning(string fid, string bidName, int gpus);

    [LoggerMessage(EventId = 718, Level = LogLevel.Information, Message = "Dev market: instance {Fid} of {BidName} no longer running ({Gpus} GPUs)")]
    private partial void LogInstanceStopped(string fid, string bidName, int gpus);

    [LoggerMessage(EventId = 719, Level = LogLevel.Information, Message = "Dev market: spot price of {InstanceType} pinned to {Cents} cents (null: released)")]
    private partial void LogPriceSet(string instanceType, long? cents);
}
