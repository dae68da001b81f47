using Dashboard.Jobs.Model;
using Dashboard.Jobs.Webhooks;

namespace Dashboard.Jobs.Tests.Webhooks;

public sealed class DeliverWebhookJobTests
{
    [Fact]
    public void Catalog_DeliverWebhookJob_IsFoundByItsApiNameWithItsQueueAndAttempts()
    {
        var descriptor = JobCatalog.FromAssembly(typeof(DeliverWebhookJob).Assembly).Find("deliver-webhook");

        Assert.NotNull(descriptor);
        Assert.Equal(typeof(DeliverWebhookArgs), descriptor.ArgsType);
        Assert.Equal("default", descriptor.Queue);
        Assert.Equal(10, descriptor.Attempts);
    }
}
