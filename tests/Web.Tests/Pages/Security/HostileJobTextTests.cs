using AngleSharp.Dom;
using Bunit;
using Dashboard.Web.Components.Pages.Failed;
using Dashboard.Web.Components.Pages.Jobs;
using Dashboard.Web.Components.Pages.Jobs.Search;
using Dashboard.Web.Monitoring;
using Dashboard.Web.Security;
using Dashboard.Web.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Web.Tests.Pages.Security;

/// <summary>
/// Job text is written by whoever enqueued the job or by whatever the job touched (an exception message can quote a
/// remote answer): the pages must show it as text, never as markup, wherever it appears.
/// </summary>
public sealed class HostileJobTextTests : DashboardTestContext
{
    public const string Script = "<script>window.__dashboardXss = 1</script>";
    public const string Attribute = "\"><img src=x onerror=\"window.__dashboardXss = 2\">";
    private const string Both = Script + " " + Attribute;

    private readonly FakeJobSearchQueries _search = new();
    private readonly FakeJobDetailsQueries _details = new();

    public HostileJobTextTests()
    {
        Services.AddSingleton<IJobSearchQueries>(_search);
        Services.AddSingleton<IJobDetailsQueries>(_details);
        Services.AddSingleton<IJobCommands>(new FakeJobCommands());
        var progress = new FakeBulkProgressSource();
        Services.AddSingleton<IBulkProgressSource>(progress);
        Services.AddSingleton<IFailedJobCommands>(new FakeFailedJobCommands(progress));
        Services.AddSingleton<IOverviewSource>(new FakeOverviewSource());
        Auth.SetAuthorized("ann@example.test").SetPolicies(Policies.View, Policies.Operate);

        var row = FakeJobSearchQueries.Row(42) with { Reason = Both, ExceptionType = Script, ExceptionMessage = Both, Queue = "default" };
        _search.Page = new JobPage([row], null, null);
        _search.Count = new CappedCount(1, false);
        _search.Groups = [new ErrorGroup(Both, Script, 1, ["SendEmailJob"], Snapshots.Now.AddHours(-1), Snapshots.Now)];

        var failed = JobViews.Failed("42", Both);
        _details.Jobs["42"] = failed with
        {
            StateReason = Both,
            ArgumentsJson = "{\"args\":{\"Subject\":\"" + Both.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"}}",
            LastFailure = new JobFailureView(Script, Both, Both),
            History = [failed.History[0] with { Reason = Both }, .. failed.History.Skip(1)],
        };
    }

    [Fact]
    public void FailedPage_ShowsHostileMessagesAsText()
    {
        var page = Render<FailedJobs>();

        AssertInert(page, page.Find("[data-testid=failed-rows]"));
        AssertInert(page, page.Find("[data-testid=error-group]"));
    }

    [Fact]
    public void JobsPage_ShowsHostileMessagesAsText()
    {
        var page = Render<JobsBrowser>();

        AssertInert(page, page.Find("[data-testid=jobs-rows]"));
    }

    [Fact]
    public void JobDetailsPage_ShowsHostileReasonArgumentsAndStackAsText()
    {
        var page = Render<JobDetails>(p => p.Add(x => x.Id, "42"));

        AssertInert(page, page.Find("[data-testid=job-state-reason]"));
        AssertInert(page, page.Find("[data-testid=job-arguments]"));
        AssertInert(page, page.Find("[data-testid=job-failure]"));
        AssertInert(page, page.Find("[data-testid=history-entry]"));
    }

    /// <summary>The hostile text is in <paramref name="region"/> as characters, and the page grew no element from it.</summary>
    private static void AssertInert<T>(IRenderedComponent<T> page, IElement region) where T : Microsoft.AspNetCore.Components.IComponent
    {
        Assert.Contains("<script>window.__dashboardXss", region.TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("script"));
        Assert.Empty(page.FindAll("img[onerror]"));
        Assert.DoesNotContain("<script>", page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", page.Markup, StringComparison.Ordinal);
    }
}
