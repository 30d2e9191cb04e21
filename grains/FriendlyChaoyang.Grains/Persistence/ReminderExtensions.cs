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

/// <summary>
/// A reminder a reentrant grain registers at most once per activation: registering is a database write, so a busy grain
/// (a station at lunch, an activity when registration opens) must not pay it on every call.
/// </summary>
public sealed class ActivationReminder(Grain owner, string name, TimeSpan period)
{
    private bool _registered;

    public async Task EnsureAsync()
    {
        if (_registered)
        {
            return;
        }
        _registered = true;
        try
        {
            await owner.RegisterOrUpdateReminder(name, period, period);
        }
        catch
        {
            _registered = false;
            throw;
        }
    }

    /// <summary>Unregisters it once the grain is idle; registers it again at once if work arrived while it was being dropped.</summary>
    public async Task UnregisterWhenIdleAsync(Func<bool> idle)
    {
        ArgumentNullException.ThrowIfNull(idle);
        if (await owner.UnregisterReminderWhenIdleAsync(name, idle))
        {
            _registered = false;
            if (!idle())
            {
                await EnsureAsync();
            }
        }
    }
}
