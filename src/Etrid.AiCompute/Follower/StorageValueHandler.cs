namespace Etrid.AiCompute.Follower;

/// <summary>Takes one value of a u64-keyed map as a full sync or a verification reads it; the bytes are valid only during the call.</summary>
internal delegate void StorageValueHandler(ulong id, ReadOnlySpan<byte> value);
