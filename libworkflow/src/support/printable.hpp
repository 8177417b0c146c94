// Text from rule files, calendars and callers ends up in messages printed on a terminal:
// control characters (ESC starts terminal escape sequences, OSC can retitle or hyperlink, BEL
// rings) and bytes that are not UTF-8 must reach it escaped, not raw.
#pragma once

#include <string>
#include <string_view>

namespace workflow::detail {

// `text` with every C0 control except newline and tab, DEL, and every C1 control written as
// \xNN (C1 as \u0080..\u009F), and every byte that is not part of well-formed UTF-8 as \xNN.
// The result is valid UTF-8 and prints as what it says.
std::string printable(std::string_view text);

// The length of the well-formed UTF-8 sequence starting at text[i] (1 for ASCII), or 0 if the
// bytes there are not one (overlong forms, surrogates, past U+10FFFF, cut short).
std::size_t utf8_sequence_length(std::string_view text, std::size_t i);

}  // namespace workflow::detail
