// How Java prints numbers (Double.toString / Float.toString), so FileStreamSink writes the same
// text as Kafka's, which prints each value with its toString().
#pragma once

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>
#include <system_error>

namespace kanal::connectors {

// Appends `v` as Java's Double.toString (or Float.toString when `v` came from a float, passed as
// float so the shortest float digits are used): shortest round-trip digits, plain notation for
// 1e-3 <= |v| < 1e7 with at least one fractional digit ("100.0"), else "d.dddE<n>" ("1.0E7").
template <typename F>
void append_java_number(F v, std::string& out) {
  if (std::isnan(v)) {
    out += "NaN";
    return;
  }
  if (std::isinf(v)) {
    out += v < 0 ? "-Infinity" : "Infinity";
    return;
  }
  if (v == 0) {
    out += std::signbit(v) ? "-0.0" : "0.0";
    return;
  }
  char sci[64];
  auto res = std::to_chars(sci, sci + sizeof sci, v, std::chars_format::scientific);
  if (res.ec != std::errc()) return;
  std::string_view text(sci, static_cast<size_t>(res.ptr - sci));
  bool negative = text.front() == '-';
  if (negative) text.remove_prefix(1);
  size_t e = text.find('e');
  std::string digits;  // significant digits without the point
  for (char c : text.substr(0, e)) {
    if (c != '.') digits += c;
  }
  int exponent = std::atoi(std::string(text.substr(e + 1)).c_str());
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  if (negative) out += '-';
  F magnitude = v < 0 ? -v : v;
  if (magnitude >= F(1e-3) && magnitude < F(1e7)) {
    if (exponent >= 0) {
      size_t int_digits = static_cast<size_t>(exponent) + 1;
      if (digits.size() <= int_digits) {
        out += digits;
        out.append(int_digits - digits.size(), '0');
        out += ".0";
      } else {
        out.append(digits, 0, int_digits);
        out += '.';
        out.append(digits, int_digits, std::string::npos);
      }
    } else {
      out += "0.";
      out.append(static_cast<size_t>(-exponent - 1), '0');
      out += digits;
    }
    return;
  }
  out += digits[0];
  out += '.';
  out += digits.size() > 1 ? digits.substr(1) : "0";
  out += 'E';
  out += std::to_string(exponent);
}

}  // namespace kanal::connectors
