using System.Text.Json;
using Bunit;
using Dashboard.Jobs;
using Dashboard.Jobs.Hosting;
using Dashboard.Jobs.Model;
using Dashboard.Web.Components.Pages.Enqueue;
using Dashboard.Web.Tests.Fakes;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace Dashboard.Web.Tests.Pages.Enqueue;

public sealed class EnqueuePageTests : DashboardTestContext
{
    private static readonly JobCatalog Catalog = JobCatalog.FromAssembly(typeof(JobsHostingExtensions).Assembly);

    private readonly FakeEnqueueCommands _commands = new();

    public EnqueuePageTests()
    {
        Services.AddSingleton(Catalog);
        Services.AddSingleton(Options.Create(new HangfireOptions()));
        Services.AddSingleton<IEnqueueCommands>(_commands);
    }

    public static TheoryData<string> JobNames() => [.. Catalog.Jobs.Select(j => j.Name)];

    [Theory]
    [MemberData(nameof(JobNames))]
    public void Render_EveryCatalogJob_HasOneFieldPerArgumentAndItsDefaultQueue(string job)
    {
        var page = RenderFor(job);

        var descriptor = Catalog.Find(job)!;
        Assert.Equal(
            descriptor.ArgsType.GetProperties().Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).Order(StringComparer.Ordinal),
            Fields(page).Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.Equal(descriptor.Queue, page.Find("[data-testid=job-default-queue]").TextContent);
        Assert.Equal(descriptor.Queue, page.Find("[data-testid=queue-select]").TextContent.Trim());
    }

    [Fact]
    public void Render_SendEmail_TextFieldsRequiredAndBodyMultiline()
    {
        var page = RenderFor("send-email");

        Assert.Equal(
            [("messageKey", "Text", true), ("to", "Text", true), ("subject", "Text", true), ("body", "MultilineText", true)],
            Fields(page));
        Assert.Equal("TEXTAREA", page.Find("[data-name=body] textarea").TagName);
        Assert.Contains("Message key *", page.Find("[data-name=messageKey]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_DeliverWebhook_UrlInputAndJsonPayloadMultiline()
    {
        var page = RenderFor("deliver-webhook");

        Assert.Equal(
            [("deliveryKey", "Text", true), ("url", "Url", true), ("eventType", "Text", true), ("payloadJson", "MultilineText", true)],
            Fields(page));
        Assert.Equal("url", page.Find("[data-name=url] input").GetAttribute("type"));
    }

    [Fact]
    public void Render_ProcessBounceAndDiagnostics_EnumSelectNumbersWithDefaultsOptionalText()
    {
        var bounce = RenderFor("process-bounce");
        Assert.Equal([("messageKey", "Text", true), ("type", "Choice", true), ("reason", "MultilineText", false)], Fields(bounce));
        Assert.Equal(["soft", "hard"], ArgumentFields.Of(Catalog.Find("process-bounce")!.ArgsType).Single(f => f.Name == "type").Choices);

        var diagnostics = RenderFor("diagnostics");
        Assert.Equal([("sleepMs", "Integer", false), ("failUntilAttempt", "Integer", false), ("payloadBytes", "Integer", false)], Fields(diagnostics));
        Assert.Equal("0", diagnostics.Find("[data-name=sleepMs] input").GetAttribute("value"));
    }

    [Fact]
    public void PickJob_FromTheSelect_ShowsItsForm()
    {
        var popover = Render<MudPopoverProvider>();
        var page = Render<EnqueuePage>();
        Assert.NotNull(page.Find("[data-testid=pick-a-job]"));

        page.Find("[data-testid=job-select]").Closest(".mud-input-control")!.MouseDown();
        popover.FindAll(".mud-list-item").Single(i => i.TextContent.Trim() == "send-email").Click();

        Assert.Equal(["messageKey", "to", "subject", "body"], Fields(page).Select(f => f.Name));
    }

    [Fact]
    public void Submit_InvalidArguments_ShowsEachErrorNextToItsFieldAndCallsNothing()
    {
        var page = RenderFor("send-email");
        page.Find("[data-name=messageKey] input").Change("has spaces");
        page.Find("[data-name=to] input").Change("not-an-address");
        page.Find("[data-name=subject] input").Change("Hello");

        // Like the HTTP API, missing fields are reported first.
        page.Find("[data-testid=enqueue]").Click();
        Assert.Equal("Required.", page.Find("[data-name=body] [data-testid=error-body]").TextContent);
        Assert.Single(page.FindAll("[data-testid^=error-]"));

        page.Find("[data-name=body] textarea").Change("Hi");
        page.Find("[data-testid=enqueue]").Click();

        Assert.Empty(_commands.Calls);
        Assert.Equal("messageKey may contain only letters, digits and . _ - : / + =", page.Find("[data-name=messageKey] [data-testid=error-messageKey]").TextContent);
        Assert.Equal("to must be an email address.", page.Find("[data-name=to] [data-testid=error-to]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=error-subject]"));
        Assert.Empty(page.FindAll("[data-testid=error-body]"));
        Assert.Empty(page.FindAll("[data-testid=enqueued-link]"));
    }

    [Fact]
    public void Submit_NumberThatIsNotANumber_FailsWithTheApiMessage()
    {
        var page = RenderFor("diagnostics");
        page.Find("[data-name=sleepMs] input").Change("abc");

        page.Find("[data-testid=enqueue]").Click();

        Assert.Empty(_commands.Calls);
        Assert.Equal("Expected a whole number in range.", page.Find("[data-testid=error-sleepMs]").TextContent);
    }

    [Fact]
    public void Submit_ValidSendEmailInAnotherQueue_CallsTheCommandWithJsonAndQueueAndLinksTheJob()
    {
        var popover = Render<MudPopoverProvider>();
        var page = RenderFor("send-email");
        page.Find("[data-name=messageKey] input").Change("order-1");
        page.Find("[data-name=to] input").Change("ann@example.test");
        page.Find("[data-name=subject] input").Change("Your order");
        page.Find("[data-name=body] textarea").Change("Line 1\nLine 2");
        page.Find("[data-testid=queue-select]").Closest(".mud-input-control")!.MouseDown();
        popover.FindAll(".mud-list-item").Single(i => i.TextContent.Trim() == "low").Click();

        page.Find("[data-testid=enqueue]").Click();

        var (user, request) = Assert.Single(_commands.Calls);
        Assert.Equal("admin@example.com", user);
        Assert.Equal(("send-email", "low", (DateTimeOffset?)null), (request.JobName, request.Queue, request.RunAt));
        Assert.Equal(
            """{"messageKey":"order-1","to":"ann@example.test","subject":"Your order","body":"Line 1\nLine 2"}""",
            request.ArgumentsJson);
        Assert.Equal("/jobs/77", page.Find("[data-testid=enqueued-link]").GetAttribute("href"));
    }

    [Fact]
    public void Submit_RunAt_SchedulesForThatUtcTime()
    {
        var page = RenderFor("diagnostics");
        page.Find("[data-testid=run-at]").Change("2026-11-23T08:30");

        page.Find("[data-testid=enqueue]").Click();

        var (_, request) = Assert.Single(_commands.Calls);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 8, 30, 0, TimeSpan.Zero), request.RunAt);
        Assert.Equal("""{"sleepMs":0,"failUntilAttempt":0,"payloadBytes":0}""", request.ArgumentsJson);
    }

    [Fact]
    public void Submit_CommandRejects_ShowsItsFieldErrors()
    {
        _commands.NextResult = new EnqueueResult(
            EnqueueStatus.Invalid, "Nothing was enqueued. Fix these fields: runAt.", Errors: new Dictionary<string, string[]> { ["runAt"] = ["Must be in the future (UTC); leave it empty to run now."] });
        var page = RenderFor("diagnostics");

        page.Find("[data-testid=enqueue]").Click();

        Assert.Contains("Must be in the future", page.Find("[data-testid=error-runAt]").TextContent, StringComparison.Ordinal);
        Assert.Contains("mud-alert-text-error", page.Find("[data-testid=enqueue-result]").ClassName, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=enqueued-link]"));
    }

    private IRenderedComponent<EnqueuePage> RenderFor(string job)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/enqueue?job={job}");
        return Render<EnqueuePage>();
    }

    private static List<(string Name, string Kind, bool Required)> Fields(IRenderedComponent<EnqueuePage> page) =>
        [.. page.FindAll("[data-testid=field]").Select(f => (f.GetAttribute("data-name")!, f.GetAttribute("data-kind")!, f.GetAttribute("data-required") == "true"))];
}
