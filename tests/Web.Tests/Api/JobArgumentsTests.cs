using System.ComponentModel.DataAnnotations;
using System.Text;
using Dashboard.Web.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dashboard.Web.Tests.Api;

public sealed class JobArgumentsTests
{
    [Fact]
    public void Bind_AllFieldsValid_ReturnsArgs()
    {
        var result = Bind("""{ "to": "a@example.com", "retries": 2 }""");

        Assert.Null(result.Problem);
        Assert.Equal(new SampleArgs("a@example.com", 2), result.Args);
    }

    [Fact]
    public void Bind_EmptyBodyWithRequiredField_Returns400NamingIt()
    {
        var errors = Errors(Bind(""));

        Assert.Equal(["to"], errors.Keys);
    }

    [Fact]
    public void Bind_EmptyBodyAllOptional_ReturnsDefaults()
    {
        var result = JobArguments.Bind(typeof(OptionalArgs), ReadOnlyMemory<byte>.Empty);

        Assert.Equal(new OptionalArgs(), result.Args);
    }

    [Fact]
    public void Bind_NullForNonNullableString_Returns400MustNotBeNull()
    {
        var errors = Errors(Bind("""{ "to": null }"""));

        Assert.Equal("Must not be null.", Assert.Single(errors["to"]));
    }

    [Fact]
    public void Bind_DuplicateField_Returns400()
    {
        var result = Bind("""{ "to": "a@example.com", "to": "b@example.com" }""");

        Assert.Null(result.Args);
        Assert.NotNull(result.Problem);
    }

    [Fact]
    public void Bind_ValidationFails_KeysAndMessagesUseJsonNames()
    {
        var errors = Errors(Bind("""{ "to": "a@example.com", "retries": 9 }"""));

        Assert.Equal("The field retries must be between 0 and 5.", Assert.Single(errors["retries"]));
    }

    [Fact]
    public void Bind_WrongType_Returns400ExplainingTheJsonType()
    {
        var errors = Errors(Bind("""{ "to": 5 }"""));

        Assert.Equal("Expected a string.", Assert.Single(errors["to"]));
    }

    private static JobArguments.Result Bind(string json) => JobArguments.Bind(typeof(SampleArgs), Encoding.UTF8.GetBytes(json));

    private static IDictionary<string, string[]> Errors(JobArguments.Result result)
    {
        Assert.Null(result.Args);
        var problem = Assert.IsType<ProblemHttpResult>(result.Problem);
        Assert.Equal(StatusCodes.Status400BadRequest, problem.StatusCode);
        return Assert.IsType<HttpValidationProblemDetails>(problem.ProblemDetails).Errors;
    }

    private sealed record SampleArgs(string To, [property: Range(0, 5)] int Retries = 0);

    private sealed record OptionalArgs(int Count = 3, string? Note = null);
}
