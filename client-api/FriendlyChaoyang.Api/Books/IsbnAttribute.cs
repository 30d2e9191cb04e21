using System.ComponentModel.DataAnnotations;

namespace FriendlyChaoyang.Api.Books;

/// <summary>
/// An ISBN-10 or ISBN-13 whose check digit is right (hyphens and spaces between digits allowed), so a typo is caught
/// when the book is registered, not when someone looks it up. Null is allowed.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class IsbnAttribute() : ValidationAttribute("An ISBN-10 or ISBN-13 with a valid check digit, e.g. 978-7-02-000220-7.")
{
    public override bool IsValid(object? value) => value is null || (value is string text && Normalize(text) is not null);

    /// <returns>The digits (and a final X of an ISBN-10), or null when it is not a valid ISBN.</returns>
    public static string? Normalize(string text)
    {
        if (text.Length > 32)
        {
            return null;
        }
        var isbn = text.Replace("-", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        return isbn.Length switch
        {
            10 when isbn[..9].All(char.IsAsciiDigit) && (char.IsAsciiDigit(isbn[9]) || isbn[9] == 'X') && Isbn10Valid(isbn) => isbn,
            13 when isbn.All(char.IsAsciiDigit) && Isbn13Valid(isbn) => isbn,
            _ => null,
        };
    }

    private static bool Isbn10Valid(string isbn)
    {
        var sum = 0;
        for (var i = 0; i < 10; i++)
        {
            sum += (10 - i) * (isbn[i] == 'X' ? 10 : isbn[i] - '0');
        }
        return sum % 11 == 0;
    }

    private static bool Isbn13Valid(string isbn)
    {
        var sum = 0;
        for (var i = 0; i < 13; i++)
        {
            sum += (i % 2 == 0 ? 1 : 3) * (isbn[i] - '0');
        }
        return sum % 10 == 0;
    }
}
