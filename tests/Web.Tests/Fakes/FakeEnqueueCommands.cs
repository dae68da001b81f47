using System.Security.Claims;
using Dashboard.Web.Components.Pages.Enqueue;

namespace Dashboard.Web.Tests.Fakes;

internal sealed class FakeEnqueueCommands : IEnqueueCommands
{
    public List<(string User, EnqueueRequest Request)> Calls { get; } = [];

    /// <summary>The answer to the next call; a success with job 77 unless set.</summary>
    public EnqueueResult? NextResult { get; set; }

    public Task<EnqueueResult> EnqueueAsync(ClaimsPrincipal user, EnqueueRequest request, CancellationToken cancellationToken = default)
    {
        Calls.Add((user.Identity?.Name ?? "", request));
        return Task.FromResult(NextResult ?? new EnqueueResult(EnqueueStatus.Succeeded, $"Enqueued {request.JobName} as job 77.", "77"));
    }
}
