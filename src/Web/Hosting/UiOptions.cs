using System.ComponentModel.DataAnnotations;

namespace Dashboard.Web.Hosting;

/// <summary><c>Dashboard:Ui</c>: how the pages look and how often they refresh.</summary>
public sealed class UiOptions
{
    public const string Section = "Dashboard:Ui";

    /// <summary>Shown in the app bar and the browser tab. It has no default in code: it comes from appsettings.json.</summary>
    [Required(ErrorMessage = "Dashboard:Ui:Title is required (it is set in appsettings.json).")]
    public string Title { get; set; } = "";

    /// <summary>
    /// How often the per-process snapshot service queries storage and pushes to every open page. One query per
    /// interval per process, whatever the number of open tabs.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.200", "00:10:00", ErrorMessage = "Dashboard:Ui:RefreshInterval must be between 200 ms and 10 minutes.")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(2);
}
