// Base64 (RFC 4648 standard alphabet, padded), as java.util.Base64 and Jackson's
// MIME_NO_LINEFEEDS variant write it. Private to worker/data.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kanal::data::detail {

// Appends the base64 text of `raw` to `out`.
void base64_encode(std::string_view raw, std::string& out);
// Decodes padded or unpadded base64; nullopt when `text` is not base64.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace kanal::data::detail
