namespace Etrid.Simulation.Workload;

/// <summary>One job of the simulated day: when it is submitted and how long it runs on one GPU.</summary>
/// <param name="Id">Its index in the trace.</param>
/// <param name="ArrivalSeconds">Submission, in seconds from the start of the day.</param>
/// <param name="DurationSeconds">Run time on one GPU, in seconds.</param>
public sealed record SimJob(int Id, int ArrivalSeconds, int DurationSeconds);
