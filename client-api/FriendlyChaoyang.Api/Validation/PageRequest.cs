using System.ComponentModel.DataAnnotations;

namespace FriendlyChaoyang.Api.Validation;

/// <summary>The paging query of a list (DESIGN.md: every list takes page/pageSize, at most 100 a page).</summary>
public sealed record PageRequest(
    [property: Range(1, PageRequest.MaxPage, ErrorMessage = "From {1} to {2}.")] int? Page,
    [property: Range(1, PageRequest.MaxPageSize, ErrorMessage = "From {1} to {2}.")] int? PageSize)
{
    public const int MaxPageSize = 100;
    public const int DefaultPageSize = 20;

    /// <summary>Far beyond any real list, and low enough that page times page size cannot overflow.</summary>
    public const int MaxPage = 100_000;

    public int PageOrFirst => Page ?? 1;

    public int PageSizeOrDefault => PageSize ?? DefaultPageSize;
}
