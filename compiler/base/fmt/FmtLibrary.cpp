//===- FmtLibrary.cpp - {fmt}'s compiled part, linked statically ----------===//
//
// Debian ships {fmt} 9 as headers plus a shared library only. Linking the shared one would pull
// a second, dynamic libstdc++ into a `camp` linked with -static-libstdc++ (two copies of the C++
// runtime in one process are unsafe). So the non-inline part of {fmt} is compiled here from the
// installed headers: format-inl.h defines the functions, and the explicit instantiations below
// are the ones format.h declares `extern` (the same set as {fmt}'s own src/format.cc).
//
//===----------------------------------------------------------------------===//

#include <fmt/format-inl.h>

FMT_BEGIN_NAMESPACE
namespace detail {

template FMT_API auto dragonbox::to_decimal(float x) noexcept -> dragonbox::decimal_fp<float>;
template FMT_API auto dragonbox::to_decimal(double x) noexcept -> dragonbox::decimal_fp<double>;

template FMT_API locale_ref::locale_ref(const std::locale &loc);
template FMT_API auto locale_ref::get<std::locale>() const -> std::locale;

template FMT_API auto thousands_sep_impl(locale_ref) -> thousands_sep_result<char>;
template FMT_API auto decimal_point_impl(locale_ref) -> char;
template FMT_API void buffer<char>::append(const char *, const char *);

template FMT_API auto thousands_sep_impl(locale_ref) -> thousands_sep_result<wchar_t>;
template FMT_API auto decimal_point_impl(locale_ref) -> wchar_t;
template FMT_API void buffer<wchar_t>::append(const wchar_t *, const wchar_t *);

} // namespace detail
FMT_END_NAMESPACE
