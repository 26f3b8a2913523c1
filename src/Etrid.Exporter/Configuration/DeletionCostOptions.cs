using System.ComponentModel.DataAnnotations;

namespace Etrid.Exporter.Configuration;

/// <summary>
/// The <c>deletion_cost</c> section: the keeper of <c>controller.kubernetes.io/pod-deletion-cost</c> on the
/// worker pods, so that a scale-down removes the workers on spot and cloud nodes first (leader only; it uses
/// <c>mithril_auto.kubernetes</c>'s client and <c>mithril_auto.leader_election</c>'s Lease).
/// </summary>
public sealed class DeletionCostOptions
{
    /// <summary>The section's key.</summary>
    public const string SectionName = "deletion_cost";

    /// <summary>Keep the annotation on the worker pods and count cloud GPU-hours. Default false.</summary>
    [ConfigurationKeyName("enabled")]
    public bool Enabled { get; set; }

    /// <summary>How often the pods and nodes are read and the annotations set. Default 30s.</summary>
    [ConfigurationKeyName("interval")]
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00", ErrorMessage = "{0} must be 5s to 1h")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The label selector of the worker pods in the exporter's namespace. Default the base's worker labels.</summary>
    [ConfigurationKeyName("pod_selector")]
    [Required(AllowEmptyStrings = false, ErrorMessage = "{0} must not be empty")]
    [RegularExpression("^[A-Za-z0-9_./-]+(!?=[A-Za-z0-9_.-]*)?(,[A-Za-z0-9_./-]+(!?=[A-Za-z0-9_.-]*)?)*$", ErrorMessage = "{0} must be a label selector such as app.kubernetes.io/component=gpu-worker")]
    [StringLength(512, ErrorMessage = "{0} must be at most 512 characters")]
    public string PodSelector { get; set; } = "app.kubernetes.io/name=etrid-gpu-provider,app.kubernetes.io/component=gpu-worker";

    /// <summary>The node label (<c>key=value</c>) of your own GPU nodes. Default <c>etrid.io/gpu-pool=local</c>.</summary>
    [ConfigurationKeyName("local_node_label")]
    [RegularExpression("^[A-Za-z0-9_./-]{1,253}=[A-Za-z0-9_.-]{0,63}$", ErrorMessage = "{0} must be key=value, such as etrid.io/gpu-pool=local")]
    public string LocalNodeLabel { get; set; } = "etrid.io/gpu-pool=local";
}
