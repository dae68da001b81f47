using Hangfire.Server;

namespace Dashboard.Jobs.Metrics;

/// <summary>
/// Learns the id Hangfire gave this process's server (host:pid:guid), which Hangfire tells only its own background
/// processes, so the heartbeat row carries the same id as Hangfire's server list.
/// </summary>
public sealed class ServerRuntime : IBackgroundProcess
{
    private readonly TaskCompletionSource<string> _serverId = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string? ServerId => _serverId.Task.IsCompleted ? _serverId.Task.Result : null;

    public void Execute(BackgroundProcessContext context)
    {
        _serverId.TrySetResult(context.ServerId);
        // Nothing else to do: stay until the server stops, so Hangfire does not call us in a loop.
        context.StoppingToken.WaitHandle.WaitOne();
    }

    public override string ToString() => nameof(ServerRuntime);
}
