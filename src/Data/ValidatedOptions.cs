using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Dashboard.Data;

public static class ValidatedOptions
{
    /// <summary>
    /// Binds an options class to its configuration section and validates it when the host starts (DESIGN.md §8), so a
    /// bad value stops the app at once with the message of its annotation, which names the key.
    /// </summary>
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IHostApplicationBuilder builder, string section)
        where T : class =>
        builder.Services.AddOptions<T>()
            .Bind(builder.Configuration.GetSection(section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
}
