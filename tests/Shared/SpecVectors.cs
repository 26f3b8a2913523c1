namespace Etrid.Tests.Shared;

/// <summary>Value vectors from the chain spec (§1.5), shared by the tests that encode and decode them.</summary>
internal static class SpecVectors
{
    /// <summary>Job (Alice, model 7, LLM, input 0x11×32, "json", 120 s, 10^18, Standard, Completed, GPU 0, result 0x22×32, submitted 600, completed 660), 159 bytes.</summary>
    public const string CompletedJobHex =
        "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d" + "0700000000000000" + "00" +
        "1111111111111111111111111111111111111111111111111111111111111111" + "106a736f6e" + "78000000" +
        "000064a7b3b6e00d0000000000000000" + "01" + "02" + "010000000000000000" +
        "012222222222222222222222222222222222222222222222222222222222222222" + "5802000000000000" + "019402000000000000";
}
