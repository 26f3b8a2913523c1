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
        TypeOf(composite, "status", out var statusType);
        _status = new VariantField<JobStatus>(types, statusType, "Job.status");
        _payment = Resolve(types, composite, "payment", allowOption: false);
        _assignedGpu = Resolve(types, composite, "assigned_gpu", allowOption: true);
        _submittedAt = Resolve(types, composite, "submitted_at", allowOption: false);
        _completedAt = Resolve(types, composite, "completed_at", allowOption: true);
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

        return new Job(id, status, payment, assignedGpu, submittedAt, completedAt);
    }

    private static ulong? ToU64(UInt128? value) => value is null ? null : value > ulong.MaxValue ? ulong.MaxValue : (ulong)value.Value;

    private static UnsignedField Resolve(TypeRegistry types, CompositeTypeDef composite, string name, bool allowOption)
    {
        TypeOf(composite, name, out var type);
        return UnsignedField.Resolve(types, type, $"Job.{name}", allowOption);
    }

    private static void TypeOf(CompositeTypeDef composite, string name, out uint type) =>
        type = composite.Fields.First(f => f.Name == name).Type;

    private enum StepKind
    {
        Skip,
        Status,
        Payment,
        AssignedGpu,
        SubmittedAt,
        CompletedAt,
    }

    private readonly record struct Step(StepKind Kind, uint Type);
}
