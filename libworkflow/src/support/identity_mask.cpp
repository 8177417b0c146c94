#include "support/identity_mask.hpp"

#include "workflow/error.hpp"

#include <string>
#include <vector>

namespace workflow::detail {
namespace {

// One character of the text as the mask sees it: a digit value (ASCII or full-width ０-９),
// a space, an X check letter, or something else, with where its bytes are.
struct Glyph {
  enum Kind { digit, space, check_letter, letter, other } kind = other;
  std::size_t begin = 0, end = 0;
};

std::vector<Glyph> glyphs_of(std::string_view s) {
  std::vector<Glyph> out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    Glyph g{Glyph::other, i, i + 1};
    if (c >= '0' && c <= '9') {
      g.kind = Glyph::digit;
    } else if (c == ' ') {
      g.kind = Glyph::space;
    } else if (c == 'X' || c == 'x') {
      g.kind = Glyph::check_letter;
    } else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
      g.kind = Glyph::letter;
    } else if (c == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBC &&
               static_cast<unsigned char>(s[i + 2]) >= 0x90 &&
               static_cast<unsigned char>(s[i + 2]) <= 0x99) {
      g = {Glyph::digit, i, i + 3};  // ０..９ (U+FF10..U+FF19)
    } else if (c == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBC &&
               static_cast<unsigned char>(s[i + 2]) == 0xB8) {
      g = {Glyph::check_letter, i, i + 3};  // Ｘ (U+FF38)
    } else if (c >= 0x80) {
      std::size_t n = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
      g.end = std::min(s.size(), i + n);
    }
    out.push_back(g);
    i = g.end;
  }
  return out;
}

}  // namespace

// An identity number (居民身份证号码): 18 characters (17 digits and a digit or the check
// letter X) or the first generation's 15 digits, written plainly, with full-width digits, or
// in groups separated by single spaces (6 8 4, 6 4 4 4, ...). Masked as its first four and
// last four characters around asterisks. A run glued to a letter or digit before it (a hash,
// a longer number) is not one; one followed by letters is (金额 "…7777元" or "…7777abc").
std::string mask_identity_numbers(std::string_view text) {
  const std::vector<Glyph> g = glyphs_of(text);
  std::vector<bool> masked(g.size(), false);
  for (std::size_t i = 0; i < g.size(); ++i) {
    if (g[i].kind != Glyph::digit) continue;
    if (i > 0 && (g[i - 1].kind == Glyph::digit || g[i - 1].kind == Glyph::letter ||
                  g[i - 1].kind == Glyph::check_letter)) {
      continue;  // inside a longer token
    }
    // Collect digits, allowing single spaces between groups.
    std::vector<std::size_t> chars;  // glyph indexes of the number's characters
    std::size_t j = i;
    while (j < g.size()) {
      if (g[j].kind == Glyph::digit) {
        chars.push_back(j++);
      } else if (g[j].kind == Glyph::space && j + 1 < g.size() && g[j + 1].kind == Glyph::digit &&
                 chars.size() < 18) {
        ++j;
      } else {
        break;
      }
    }
    if (chars.size() == 17 && j < g.size() && g[j].kind == Glyph::check_letter) chars.push_back(j++);
    const bool longer = j < g.size() && g[j].kind == Glyph::digit;
    if (longer || (chars.size() != 18 && chars.size() != 15)) {
      i = j;
      continue;
    }
    for (std::size_t k = 4; k + 4 < chars.size(); ++k) masked[chars[k]] = true;
    i = j;
  }
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < g.size(); ++i) {
    if (masked[i]) {
      out += '*';
    } else {
      out.append(text.substr(g[i].begin, g[i].end - g[i].begin));
    }
  }
  return out;
}

}  // namespace workflow::detail

namespace workflow {

std::string mask_identity_numbers(std::string_view text) {
  return detail::mask_identity_numbers(text);
}

}  // namespace workflow
