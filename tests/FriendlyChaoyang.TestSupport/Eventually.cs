namespace FriendlyChaoyang.Testing;

/// <summary>Polls for effects that arrive later (reminders, one-way deliveries, caches), instead of sleeping a fixed time.</summary>
public static class Eventually
{
    /// <returns>The first value that satisfies <paramref name="done"/>, or the last one read when time ran out (assert on it).</returns>
    public static async Task<T> ReadAsync<T>(Func<Task<T>> read, Func<T, bool> done, int seconds = 30)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(done);
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }
            await Task.Delay(200);
        }
    }

    /// <returns>Whether <paramref name="condition"/> held within <paramref name="seconds"/>.</returns>
    public static Task<bool> TrueAsync(Func<Task<bool>> condition, int seconds = 30) => ReadAsync(condition, holds => holds, seconds);
}
