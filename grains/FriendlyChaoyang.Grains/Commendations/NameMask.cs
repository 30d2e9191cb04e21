using System.Globalization;

namespace FriendlyChaoyang.Commendations;

/// <summary>How the public good-news feed names a rider: the first character of their display name and "**" (张伟 -> 张**).</summary>
public static class NameMask
{
    /// <summary>Shown for a rider without a display name.</summary>
    public const string Anonymous = "骑手**";

    public static string Mask(string? displayName)
    {
        var name = displayName?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            return Anonymous;
        }
        // A text element, so a surrogate pair or a letter with its combining mark is kept whole.
        return name[..StringInfo.GetNextTextElementLength(name)] + "**";
    }
}
