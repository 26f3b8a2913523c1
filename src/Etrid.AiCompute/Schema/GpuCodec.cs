using Etrid.AiCompute.Model;
using Etrid.Substrate.Metadata;
using Etrid.Substrate.Scale;
using Etrid.Substrate.Values;

namespace Etrid.AiCompute.Schema;

/// <summary>Decodes <c>GpuNode</c> values by field name: the provider account and the status.</summary>
public sealed class GpuCodec
{
    private readonly (bool IsProvider, bool IsStatus, uint Type)[] _plan;
    private readonly DynamicDecoder _skipper;
    private readonly VariantField<GpuStatus> _status;

    public GpuCodec(TypeRegistry types, uint gpuType)
    {
        if (types.Resolve(gpuType).Def is not CompositeTypeDef composite)
        {
            throw new SchemaException($"GpuRegistry.GpuNodes value (type {gpuType}) is not a struct");
        }

        var provider = composite.Fields.FirstOrDefault(f => f.Name == "provider") ?? throw new SchemaException("GpuNode has no field 'provider'");
        var status = composite.Fields.FirstOrDefault(f => f.Name == "status") ?? throw new SchemaException("GpuNode has no field 'status'");
        if (types.FixedSize(provider.Type) != 32)
        {
            throw new SchemaException("GpuNode.provider is not a 32-byte account id");
        }

        _status = new VariantField<GpuStatus>(types, status.Type, "GpuNode.status");
        _skipper = new DynamicDecoder(types);
        _plan = composite.Fields.Select(f => (f.Name == "provider", f.Name == "status", f.Type)).ToArray();
    }

    /// <summary>Decodes one value; every byte must be consumed.</summary>
    public GpuNode Decode(ulong id, ReadOnlySpan<byte> bytes)
    {
        var reader = new ScaleReader(bytes);
        byte[] provider = [];
        var status = GpuStatus.Active;
        try
        {
            foreach (var (isProvider, isStatus, type) in _plan)
            {
                if (isProvider)
                {
                    provider = reader.ReadBytes(32).ToArray();
                }
                else if (isStatus)
                {
                    status = _status.Read(ref reader);
                }
                else
                {
                    _skipper.Skip(ref reader, type);
                }
            }

            reader.EnsureAtEnd();
        }
        catch (ScaleDecodeException e)
        {
            throw new ScaleDecodeException($"GpuNodes({id}): {e.Message}", reader.Position, "GpuNode", e);
        }

        return new GpuNode(id, provider, status);
    }
}
