using Bunit;
using Dashboard.Web.Components.Pages.Jobs;
using Dashboard.Web.Security;
using Dashboard.Web.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Web.Tests.Pages.Jobs;

public sealed class JobDetailsPageTests : DashboardTestContext
{
    private readonly FakeJobDetailsQueries _queries = new();
    private readonly FakeJobCommands _commands = new();

    public JobDetailsPageTests()
    {
        Services.AddSingleton<IJobDetailsQueries>(_queries);
        Services.AddSingleton<IJobCommands>(_commands);
        _queries.Jobs["42"] = new JobDetailsView(
            "42",
            "DiagnosticsJob.RunAsync",
            "default",
            "Failed",
            Snapshots.Now.AddMinutes(-2),
            "{\n  \"args\": {\n    \"SleepMs\": -1\n  }\n}",
            [
                new JobStateView("Failed", "An exception occurred", Snapshots.Now.AddMinutes(-1)),
                new JobStateView("Processing", null, Snapshots.Now.AddMinutes(-1.5)),
                new JobStateView("Enqueued", null, Snapshots.Now.AddMinutes(-2)),
            ],
            new JobFailureView("System.ComponentModel.DataAnnotations.ValidationException", "SleepMs out of range", "at DiagnosticsJob.RunAsync"));
    }

    [Fact]
    public void Render_KnownJob_ShowsTypeQueueStateArgumentsHistoryAndFailure()
    {
        SignIn(Policies.View);

        var page = Render<JobDetails>(p => p.Add(x => x.Id, "42"));

        var summary = page.Find("[data-testid=job-summary]").TextContent;
        Assert.Contains("DiagnosticsJob.RunAsync", summary, StringComparison.Ordinal);
        Assert.Contains("default", summary, StringComparison.Ordinal);
        Assert.Equal("Failed", page.Find("[data-testid=job-state]").TextContent.Trim());
        Assert.Contains("\"SleepMs\": -1", page.Find("[data-testid=job-arguments]").TextContent, StringComparison.Ordinal);
        Assert.Equal(3, page.FindAll("[data-testid=job-history] tbody tr").Count);
        Assert.Contains("SleepMs out of range", page.Find("[data-testid=job-failure]").TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("999")]
    [InlineData("not-a-job")]
    public void Render_UnknownOrMalformedId_ShowsJobNotFound(string id)
    {
        SignIn(Policies.View, Policies.Operate);

        var page = Render<JobDetails>(p => p.Add(x => x.Id, id));

        Assert.Contains(id, page.Find("[data-testid=job-not-found]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=requeue]"));
    }

    [Fact]
    public void Render_Operator_SeesRequeueAndDelete()
    {
        SignIn(Policies.View, Policies.Operate);

        var page = Render<JobDetails>(p => p.Add(x => x.Id, "42"));

        Assert.NotNull(page.Find("[data-testid=requeue]"));
        Assert.NotNull(page.Find("[data-testid=delete]"));
    }

    [Fact]
    public void Render_Viewer_SeesNoActions()
    {
        SignIn(Policies.View);

        var page = Render<JobDetails>(p => p.Add(x => x.Id, "42"));

        Assert.Empty(page.FindAll("[data-testid=requeue]"));
        Assert.Empty(page.FindAll("[data-testid=delete]"));
    }

    [Fact]
    public void ClickRequeue_Operator_CallsTheCommandWithUserAndShowsResult()
    {
        SignIn(Policies.View, Policies.Operate);
        var page = Render<JobDetails>(p => p.Add(x => x.Id, "42"));

        page.Find("[data-testid=requeue]").Click();

        Assert.Equal([("requeue", "ann@example.test", "42")], _commands.Calls);
        Assert.Contains("requeue 42 done", page.Find("[data-testid=command-result]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ClickDelete_Operator_CallsDelete()
    {
        SignIn(Policies.View, Policies.Operate);
        var page = Render<JobDetails>(p => p.Add(x => x.Id, "42"));

        page.Find("[data-testid=delete]").Click();

        Assert.Equal([("delete", "ann@example.test", "42")], _commands.Calls);
    }

    private void SignIn(params string[] policies) => Auth.SetAuthorized("ann@example.test").SetPolicies(policies);
}
