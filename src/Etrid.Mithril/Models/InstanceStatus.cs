namespace Etrid.Mithril.Models;

/// <summary>An instance's <c>STATUS_*</c> value; unknown values read as <see cref="Unknown"/>.</summary>
public enum InstanceStatus
{
    /// <summary>A value this client does not know.</summary>
    Unknown,

    /// <summary><c>STATUS_NEW</c>.</summary>
    New,

    /// <summary><c>STATUS_CONFIRMED</c>.</summary>
    Confirmed,

    /// <summary><c>STATUS_INITIALIZING</c>.</summary>
    Initializing,

    /// <summary><c>STATUS_STARTING</c>.</summary>
    Starting,

    /// <summary><c>STATUS_RUNNING</c>: usable.</summary>
    Running,

    /// <summary><c>STATUS_STOPPING</c>.</summary>
    Stopping,

    /// <summary><c>STATUS_TERMINATED</c>.</summary>
    Terminated,

    /// <summary><c>STATUS_RELOCATING</c>: restarts elsewhere within 5 minutes.</summary>
    Relocating,

    /// <summary><c>STATUS_PREEMPTING</c>: access ends within 5 minutes.</summary>
    Preempting,

    /// <summary><c>STATUS_PREEMPTED</c>.</summary>
    Preempted,

    /// <summary><c>STATUS_REPLACED</c>.</summary>
    Replaced,

    /// <summary><c>STATUS_PAUSED</c>.</summary>
    Paused,

    /// <summary><c>STATUS_ERROR</c>.</summary>
    Error,
}
