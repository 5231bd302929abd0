// Text tables for kanalctl's human output: columns padded to the widest cell, separated by two
// spaces, the last column not padded (no trailing blanks).
//
//   Table t({"NAME", "STATE"});
//   t.add_row({"orders", "RUNNING"});
//   std::cout << t.render();   // "NAME    STATE\norders  RUNNING\n"
//
// Widths count UTF-8 code points, so names with accents stay aligned. A row shorter than the
// header is padded with empty cells; newlines inside a cell are shown as "\n" to keep one line
// per row. Value type; not thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kanal::ctl {

class Table {
 public:
  explicit Table(std::vector<std::string> header);

  void add_row(std::vector<std::string> cells);
  size_t row_count() const { return rows_.size(); }

  // The header line and every row, each ending in '\n'. `indent` spaces start each line.
  std::string render(size_t indent = 0) const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

// Number of UTF-8 code points in `text` (continuation bytes not counted).
size_t display_width(std::string_view text);

}  // namespace kanal::ctl
