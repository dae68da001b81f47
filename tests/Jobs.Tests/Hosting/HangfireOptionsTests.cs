using System.ComponentModel.DataAnnotations;
using Dashboard.Jobs.Hosting;

namespace Dashboard.Jobs.Tests.Hosting;

public sealed class HangfireOptionsTests
{
    [Fact]
    public void Validate_Defaults_AreValid()
    {
        Assert.Empty(Validate(new HangfireOptions()));
    }

    [Fact]
    public void EffectiveQueues_NoneConfigured_AreCriticalDefaultLowInPriorityOrder()
    {
        Assert.Equal(["critical", "default", "low"], new HangfireOptions().EffectiveQueues);
    }

    [Fact]
    public void EffectiveQueues_Configured_ReplaceTheDefaults()
    {
        Assert.Equal(["emails", "reports"], new HangfireOptions { Queues = ["emails", "reports"] }.EffectiveQueues);
    }

    [Fact]
    public void Validate_UpperCaseQueue_NamesTheKeyAndTheQueue()
    {
        var error = Assert.Single(Validate(new HangfireOptions { Queues = ["Critical"] }));

        Assert.Contains("Dashboard:Hangfire:Queues", error, StringComparison.Ordinal);
        Assert.Contains("'Critical'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DuplicateQueue_IsRejected()
    {
        var error = Assert.Single(Validate(new HangfireOptions { Queues = ["default", "default"] }));

        Assert.Contains("twice", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_QueuesNotInAlphabeticalOrder_ExplainsWhy()
    {
        var error = Assert.Single(Validate(new HangfireOptions { Queues = ["urgent", "bulk"] }));

        Assert.Contains("alphabetical order", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WorkerCountZero_NamesTheKey()
    {
        var error = Assert.Single(Validate(new HangfireOptions { WorkerCount = 0 }));

        Assert.Contains("Dashboard:Hangfire:WorkerCount", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_InvisibilityTimeoutTooShort_NamesTheKey()
    {
        var error = Assert.Single(Validate(new HangfireOptions { InvisibilityTimeout = TimeSpan.FromSeconds(1) }));

        Assert.Contains("Dashboard:Hangfire:InvisibilityTimeout", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SchemaNameWithQuote_IsRejected()
    {
        var error = Assert.Single(Validate(new HangfireOptions { SchemaName = "hang\"fire" }));

        Assert.Contains("Dashboard:Hangfire:SchemaName", error, StringComparison.Ordinal);
    }

    internal static List<string> Validate(object options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return [.. results.Select(r => r.ErrorMessage ?? "")];
    }
}
