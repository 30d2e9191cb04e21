using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;

namespace FriendlyChaoyang.Api.Validation;

/// <summary>
/// Text a person typed, shown to other people: no control characters (NUL, escape; line breaks only where
/// <see cref="Multiline"/>), no invisible format characters (U+202E right-to-left override, zero-width spaces and
/// joiners), no private-use or unassigned code points. Such characters let a name or a note pass for something else.
/// Null is allowed (pair with [Required]).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class PlainTextAttribute() : ValidationAttribute(Message)
{
    public const string Message = "No control, invisible or unassigned characters.";

    public bool Multiline { get; init; }

    public override bool IsValid(object? value) => value is null || (value is string text && IsPlain(text, Multiline));

    public static bool IsPlain(string text, bool multiline)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            var allowed = Rune.GetUnicodeCategory(rune) switch
            {
                UnicodeCategory.Control => multiline && rune.Value is '\n' or '\r' or '\t',
                UnicodeCategory.Format or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
                    or UnicodeCategory.Surrogate or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => false,
                _ => true,
            };
            if (!allowed)
            {
                return false;
            }
        }
        return true;
    }
}
