namespace Etrid.Mithril.Tests.Invariants;

/// <summary>A rule of the burst controller broken at a tick of a random day (the message says which and how).</summary>
public sealed class BurstRuleBrokenException(string message) : Exception(message);
