namespace Etrid.AiCompute.Schema;

/// <summary>One line of a schema report: a pallet, storage item or constant the exporter looks for.</summary>
public sealed record SchemaCheck(string Name, bool Found, bool Required, string Detail);
