using Etrid.Scaling.Keda.Protocol;
using Google.Protobuf.Reflection;

namespace Etrid.Scaling.Tests.Keda;

/// <summary>The compiled contract matches KEDA's externalscaler.proto (spec §3.1) name for name and number for number.</summary>
public sealed class WireContractTests
{
    [Fact]
    public void Service_HasKedasPackageServiceAndMethods()
    {
        var service = ExternalscalerReflection.Descriptor.Services.Single();

        Assert.Equal("externalscaler", ExternalscalerReflection.Descriptor.Package);
        Assert.Equal("externalscaler.ExternalScaler", service.FullName);
        Assert.Equal(
            ["IsActive:ScaledObjectRef:IsActiveResponse:False", "StreamIsActive:ScaledObjectRef:IsActiveResponse:True", "GetMetricSpec:ScaledObjectRef:GetMetricSpecResponse:False", "GetMetrics:GetMetricsRequest:GetMetricsResponse:False"],
            service.Methods.Select(m => $"{m.Name}:{m.InputType.Name}:{m.OutputType.Name}:{m.IsServerStreaming}"));
    }

    [Theory]
    [InlineData("ScaledObjectRef", "1 name string|2 namespace string|3 scalerMetadata map")]
    [InlineData("IsActiveResponse", "1 result bool")]
    [InlineData("GetMetricSpecResponse", "1 metricSpecs repeated MetricSpec")]
    [InlineData("MetricSpec", "1 metricName string|2 targetSize int64|3 targetSizeFloat double")]
    [InlineData("GetMetricsRequest", "1 scaledObjectRef ScaledObjectRef|2 metricName string")]
    [InlineData("GetMetricsResponse", "1 metricValues repeated MetricValue")]
    [InlineData("MetricValue", "1 metricName string|2 metricValue int64|3 metricValueFloat double")]
    public void Message_HasKedasFieldsNumbersAndTypes(string message, string fields)
    {
        var descriptor = ExternalscalerReflection.Descriptor.MessageTypes.Single(m => m.Name == message);

        Assert.Equal(fields, string.Join('|', descriptor.Fields.InFieldNumberOrder().Select(Describe)));
    }

    private static string Describe(FieldDescriptor f)
    {
        var type = f.IsMap ? "map" : f.FieldType switch
        {
            FieldType.Message => (f.IsRepeated ? "repeated " : string.Empty) + f.MessageType.Name,
            FieldType.String => "string",
            FieldType.Bool => "bool",
            FieldType.Int64 => "int64",
            FieldType.Double => "double",
            _ => f.FieldType.ToString(),
        };
        return $"{f.FieldNumber} {f.Name} {type}";
    }
}
