namespace Etrid.DevChain.Chain;

/// <summary>A produced block's header fields and hash (all 0x-hex).</summary>
public sealed record BlockInfo(uint Number, string Hash, string ParentHash, string StateRoot, string ExtrinsicsRoot, string DigestLog, uint SpecVersion);
