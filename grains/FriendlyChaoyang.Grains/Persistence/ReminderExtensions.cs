namespace FriendlyChaoyang.Persistence;

public static class ReminderExtensions
{
    /// <summary>
    /// Unregisters a grain's reminder once the grain has nothing left for it to do. <paramref name="idle"/> is asked
    /// again after the lookup, because a reentrant grain may have taken new work while it waited.
    /// </summary>
    /// <returns>True when the reminder was unregistered.</returns>
    public static async Task<bool> UnregisterReminderWhenIdleAsync(this Grain grain, string reminderName, Func<bool> idle)
    {
        ArgumentNullException.ThrowIfNull(idle);
        if (!idle() || await grain.GetReminder(reminderName) is not { } reminder || !idle())
        {
            return false;
        }
        await grain.UnregisterReminder(reminder);
        return true;
    }
}
