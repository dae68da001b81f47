namespace Dashboard.Web.Components.Pages.Recurring;

public enum RecurringJobAction
{
    Trigger,
    Pause,
    Resume,
    Remove,
}

/// <summary>What an operator asked for on one row of the recurring jobs page.</summary>
public sealed record RecurringJobCommand(RecurringJobAction Action, string Id);
