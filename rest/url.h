// Percent-encoding helpers for REST paths and query strings (RFC 3986), without cpprestsdk so
// routing stays testable without a network. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kanal::rest {

// Decodes %XX escapes. With `plus_is_space` (query strings, as HTML forms encode them) '+'
// becomes ' '. Returns nullopt for a malformed escape ("%4", "%zz").
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space = false);

// Encodes everything but RFC 3986 unreserved characters, so the result is one path segment
// ("my connector/1" → "my%20connector%2F1").
std::string percent_encode_segment(std::string_view text);

// Query parameters in request order; a key may repeat (`expand=status&expand=info`).
using QueryParams = std::vector<std::pair<std::string, std::string>>;

// Splits and decodes a raw query string ("a=1&b=x%20y&flag"). A parameter without '=' has an
// empty value; malformed escapes are kept as written rather than failing the request.
QueryParams parse_query(std::string_view raw_query);

}  // namespace kanal::rest
