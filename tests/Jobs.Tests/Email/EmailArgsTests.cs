using Dashboard.Data.Entities;
using Dashboard.Jobs.Email;
using Dashboard.Jobs.Tests.Hosting;

namespace Dashboard.Jobs.Tests.Email;

public sealed class EmailArgsTests
{
    [Fact]
    public void Validate_GoodSendEmailArgs_IsValid()
    {
        Assert.Empty(HangfireOptionsTests.Validate(new SendEmailArgs("order-7/confirmation", "ann@example.com", "Your order", "Thanks.")));
    }

    [Theory]
    [InlineData("", "MessageKey is required")]
    [InlineData("has space", "MessageKey may contain only")]
    [InlineData("-leading-dash", "MessageKey may contain only")]
    public void Validate_BadMessageKey_SaysWhy(string key, string expected)
    {
        var error = Assert.Single(HangfireOptionsTests.Validate(new SendEmailArgs(key, "ann@example.com", "s", "b")));

        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MessageKeyLongerThanTheColumn_IsRejected()
    {
        var error = Assert.Single(HangfireOptionsTests.Validate(new SendEmailArgs(new string('k', 201), "ann@example.com", "s", "b")));

        Assert.Contains("at most 200", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ann")]
    [InlineData("ann@")]
    public void Validate_BadTo_IsRejected(string to)
    {
        var error = Assert.Single(HangfireOptionsTests.Validate(new SendEmailArgs("k1", to, "s", "b")));

        Assert.StartsWith("To ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EmptySubjectAndHugeBody_ReportsBoth()
    {
        var errors = HangfireOptionsTests.Validate(new SendEmailArgs("k1", "ann@example.com", "", new string('b', SendEmailArgs.MaxBodyLength + 1)));

        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("Subject", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Body", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_GoodBounceArgs_IsValid()
    {
        Assert.Empty(HangfireOptionsTests.Validate(new ProcessBounceArgs("k1", BounceType.Hard, "550 5.1.1 user unknown")));
    }

    [Fact]
    public void Validate_UndefinedBounceType_IsRejected()
    {
        var error = Assert.Single(HangfireOptionsTests.Validate(new ProcessBounceArgs("k1", (BounceType)9)));

        Assert.Contains("Soft or Hard", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BounceWithoutKey_IsRejected()
    {
        var error = Assert.Single(HangfireOptionsTests.Validate(new ProcessBounceArgs("", BounceType.Soft)));

        Assert.Contains("MessageKey", error, StringComparison.Ordinal);
    }
}
