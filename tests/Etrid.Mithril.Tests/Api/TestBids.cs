using Etrid.Mithril.Models;
using Etrid.Mithril.Tests.Support;

namespace Etrid.Mithril.Tests.Api;

internal static class TestBids
{
    public const string H100 = "it_devh100x8";

    public static CreateBidRequest Request(MarketHarness market, string name, string limit = "$40.00", string? script = "#!/bin/bash\necho hi\n") => new()
    {
        Project = market.Project,
        Region = market.Region,
        InstanceType = H100,
        LimitPrice = limit,
        Name = name,
        LaunchSpecification = new LaunchSpecification { SshKeys = [market.SshKey], StartupScript = script },
    };
}
