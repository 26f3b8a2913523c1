namespace Etrid.AiCompute.Model;

/// <summary>The kind of model a job runs, matched to the chain's variants by name.</summary>
public enum ModelType : byte
{
    LLM,
    ImageGen,
    ImageRecognition,
    AudioProcessing,
    VideoProcessing,
    Custom,
}
