using Etrid.AiCompute.Model;
using Etrid.Substrate.Metadata;
using Etrid.Substrate.Scale;
using Etrid.Substrate.Values;

namespace Etrid.AiCompute.Schema;

/// <summary>
/// Decodes <c>Job</c> values by field name with a plan resolved once per metadata: the fields the
/// figures need are read typed, every other field (including ones a runtime upgrade appends) is
/// skipped without allocating.
/// </summary>
public sealed class JobCodec
{
    private readonly Step[] _plan;
    private readonly DynamicDecoder _skipper;
    private readonly VariantField<JobStatus> _status;
    private readonly UnsignedField _payment;
    private readonly UnsignedField _assignedGpu;
    private readonly UnsignedField _submittedAt;
    private readonly UnsignedField _completedAt;
    private readonly VariantField<JobPriority>? _priority;
    private readonly VariantField<ModelType>? _modelType;
    private readonly UnsignedField? _maxCompute;

    public JobCodec(TypeRegistry types, uint jobType)
    {
        if (types.Resolve(jobType).Def is not CompositeTypeDef composite)
        {
            throw new SchemaException($"JobMarketplace.Jobs value (type {jobType}) is not a struct");
        }

        _skipper = new DynamicDecoder(types);
        var found = new HashSet<string>(StringComparer.Ordinal);
        var plan = new List<Step>();
        foreach (var field in composite.Fields)
        {
            var name = field.Name ?? string.Empty;
            var kind = name switch
            {
                "status" => StepKind.Status,
                "payment" => StepKind.Payment,
                "assigned_gpu" => StepKind.AssignedGpu,
                "submitted_at" => StepKind.SubmittedAt,
                "completed_at" => StepKind.CompletedAt,
                "priority" => StepKind.Priority,
                "model_type" => StepKind.ModelType,
                "max_compute_time" => StepKind.MaxCompute,
                _ => StepKind.Skip,
            };
            found.Add(name);
            plan.Add(new Step(kind, field.Type));
        }

        string[] required = ["status", "payment", "assigned_gpu", "submitted_at", "completed_at"];
        var missing = required.Where(r => !found.Contains(r)).ToList();
        if (missing.Count > 0)
        {
            throw new SchemaException($"Job has no field(s) {string.Join(", ", missing)} (fields: {string.Join(", ", found)})");
        }

        _plan = [.. plan];
        _status = new VariantField<JobStatus>(types, TypeOf(composite, "status"), "Job.status");
        _payment = Resolve(types, composite, "payment", allowOption: false);
        _assignedGpu = Resolve(types, composite, "assigned_gpu", allowOption: true);
        _submittedAt = Resolve(types, composite, "submitted_at", allowOption: false);
        _completedAt = Resolve(types, composite, "completed_at", allowOption: true);

        // Read for the burst controller's view of the queue; a runtime without them still works.
        _priority = found.Contains("priority") ? new VariantField<JobPriority>(types, TypeOf(composite, "priority"), "Job.priority") : null;
        _modelType = found.Contains("model_type") ? new VariantField<ModelType>(types, TypeOf(composite, "model_type"), "Job.model_type") : null;
        _maxCompute = found.Contains("max_compute_time") ? Resolve(types, composite, "max_compute_time", allowOption: false) : null;
        for (var i = 0; i < _plan.Length; i++)
        {
            var absent = _plan[i].Kind switch
            {
                StepKind.Priority => _priority is null,
                StepKind.ModelType => _modelType is null,
                StepKind.MaxCompute => _maxCompute is null,
                _ => false,
            };
            if (absent)
            {
                _plan[i] = _plan[i] with { Kind = StepKind.Skip };
            }
        }
    }

    /// <summary>Decodes one value; every byte must be consumed.</summary>
    /// <exception cref="ScaleDecodeException">The bytes do not fit the type; the message names the job.</exception>
    public Job Decode(ulong id, ReadOnlySpan<byte> bytes)
    {
        var reader = new ScaleReader(bytes);
        var status = JobStatus.Pending;
        UInt128 payment = 0;
        ulong? assignedGpu = null;
        ulong submittedAt = 0;
        ulong? completedAt = null;
        JobPriority? priority = null;
        ModelType? modelType = null;
        uint maxCompute = 0;
        try
        {
            foreach (var step in _plan)
            {
                switch (step.Kind)
                {
                    case StepKind.Status:
                        status = _status.Read(ref reader);
                        break;
                    case StepKind.Payment:
                        payment = _payment.Read(ref reader) ?? 0;
                        break;
                    case StepKind.AssignedGpu:
                        assignedGpu = ToU64(_assignedGpu.Read(ref reader));
                        break;
                    case StepKind.SubmittedAt:
                        submittedAt = ToU64(_submittedAt.Read(ref reader)) ?? 0;
                        break;
                    case StepKind.CompletedAt:
                        completedAt = ToU64(_completedAt.Read(ref reader));
                        break;
                    case StepKind.Priority:
                        priority = _priority!.Read(ref reader);
                        break;
                    case StepKind.ModelType:
                        modelType = _modelType!.Read(ref reader);
                        break;
                    case StepKind.MaxCompute:
                        var max = _maxCompute!.Value.Read(ref reader) ?? 0;
                        maxCompute = max > uint.MaxValue ? uint.MaxValue : (uint)max;
                        break;
                    default:
                        _skipper.Skip(ref reader, step.Type);
                        break;
                }
            }

            reader.EnsureAtEnd();
        }
        catch (ScaleDecodeException e)
        {
            throw new ScaleDecodeException($"Jobs({id}): {e.Message}", reader.Position, "Job", e);
        }

        return new Job(id, status, payment, assignedGpu, submittedAt, completedAt) { Priority = priority, ModelType = modelType, MaxComputeSeconds = maxCompute };
    }

    private static ulong? ToU64(UInt128? value) => value is null ? null : value > ulong.MaxValue ? ulong.MaxValue : (ulong)value.Value;

    private static UnsignedField Resolve(TypeRegistry types, CompositeTypeDef composite, string name, bool allowOption) =>
        UnsignedField.Resolve(types, TypeOf(composite, name), $"Job.{name}", allowOption);

    private static uint TypeOf(CompositeTypeDef composite, string name) => composite.Fields.First(f => f.Name == name).Type;

    private enum StepKind
    {
        Skip,
        Status,
        Payment,
        AssignedGpu,
        SubmittedAt,
        CompletedAt,
        Priority,
        ModelType,
        MaxCompute,
    }

    private readonly record struct Step(StepKind Kind, uint Type);
}
