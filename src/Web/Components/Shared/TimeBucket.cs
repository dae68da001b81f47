namespace Dashboard.Web.Components.Shared;

/// <summary>How long one bar of a chart covers, which decides how its start is labelled (<see cref="Times.Bucket"/>).</summary>
public enum TimeBucket
{
    Minute,
    Hour,
    Day,
}
