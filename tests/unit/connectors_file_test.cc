#include <gtest/gtest.h>

#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/file/java_text.h"
#include "connectors/file/line_splitter.h"

namespace kanal::connectors {
namespace {

struct Got {
  std::string text;
  uint64_t position;
  bool operator==(const Got&) const = default;
};

void PrintTo(const Got& g, std::ostream* os) {
  *os << "{\"" << g.text << "\", " << g.position << "}";
}

// Feeds `chunks` one by one and collects every line available after each.
std::vector<Got> split(LineSplitter& s, const std::vector<std::string>& chunks) {
  std::vector<Got> out;
  for (const std::string& chunk : chunks) {
    size_t done = 0;
    while (done < chunk.size()) {
      std::span<char> area = s.write_area();
      size_t n = std::min(area.size(), chunk.size() - done);
      std::memcpy(area.data(), chunk.data() + done, n);
      s.commit(n);
      done += n;
      while (auto line = s.next()) out.push_back({std::string(line->text), line->position});
    }
  }
  return out;
}

TEST(LineSplitterTest, SplitsOnLineFeedAndCountsTerminatorInPosition) {
  LineSplitter s;

  auto lines = split(s, {"a\nbc\n"});

  EXPECT_EQ(lines, (std::vector<Got>{{"a", 2}, {"bc", 5}}));
}

TEST(LineSplitterTest, TreatsCarriageReturnLineFeedAsOneTerminator) {
  LineSplitter s;

  auto lines = split(s, {"a\r\nb\r\n"});

  EXPECT_EQ(lines, (std::vector<Got>{{"a", 3}, {"b", 6}}));
}

TEST(LineSplitterTest, SplitsOnLoneCarriageReturnOnceNextByteIsKnown) {
  LineSplitter s;

  auto lines = split(s, {"a\rb\r"});

  EXPECT_EQ(lines, (std::vector<Got>{{"a", 2}}));
  EXPECT_EQ(s.buffered_bytes(), 2u);  // "b\r" is held: "\r\n" may follow
}

TEST(LineSplitterTest, JoinsCarriageReturnAndLineFeedSplitAcrossReads) {
  LineSplitter s;

  auto lines = split(s, {"a\r", "\nb\n"});

  EXPECT_EQ(lines, (std::vector<Got>{{"a", 3}, {"b", 5}}));
}

TEST(LineSplitterTest, EmitsLoneCarriageReturnLineWhenOtherByteFollowsInNextRead) {
  LineSplitter s;

  auto lines = split(s, {"a\r", "b\n"});

  EXPECT_EQ(lines, (std::vector<Got>{{"a", 2}, {"b", 4}}));
}

TEST(LineSplitterTest, EmitsEmptyLinesForConsecutiveTerminators) {
  LineSplitter s;

  auto lines = split(s, {"\n\r\n\r\rx\n"});

  EXPECT_EQ(lines, (std::vector<Got>{{"", 1}, {"", 3}, {"", 4}, {"", 5}, {"x", 7}}));
}

TEST(LineSplitterTest, HoldsPartialLastLineUntilTerminatorArrives) {
  LineSplitter s;

  auto first = split(s, {"one\ntw"});
  auto second = split(s, {"o\n"});

  EXPECT_EQ(first, (std::vector<Got>{{"one", 4}}));
  EXPECT_EQ(second, (std::vector<Got>{{"two", 8}}));
}

TEST(LineSplitterTest, MixesTerminatorsInOneBuffer) {
  LineSplitter s;

  auto lines = split(s, {"a\nb\r\nc\rd\n"});

  EXPECT_EQ(lines, (std::vector<Got>{{"a", 2}, {"b", 5}, {"c", 7}, {"d", 9}}));
}

TEST(LineSplitterTest, GrowsBufferWhenOneLineExceedsIt) {
  LineSplitter s(16);
  std::string long_line(100, 'x');

  auto lines = split(s, {long_line + "\nshort\n"});

  EXPECT_EQ(lines, (std::vector<Got>{{long_line, 101}, {"short", 107}}));
  EXPECT_GE(s.capacity_bytes(), 101u);
}

TEST(LineSplitterTest, KeepsPositionsAcrossManySmallBufferRefills) {
  LineSplitter s(16);
  std::string input;
  std::vector<Got> expected;
  for (int i = 0; i < 1000; ++i) {
    std::string line = "line-" + std::to_string(i);
    input += line + (i % 3 == 0 ? "\r\n" : i % 3 == 1 ? "\r" : "\n");
    expected.push_back({line, input.size()});
  }
  input += "end\n";
  expected.push_back({"end", input.size()});

  auto lines = split(s, {input});

  EXPECT_EQ(lines, expected);
}

TEST(LineSplitterTest, CountsJavaCharactersForMultiByteText) {
  LineSplitter s;

  // "é" is 2 bytes and 1 char, "€" 3 bytes and 1 char, U+1F600 4 bytes and 2 chars.
  auto lines = split(s, {"\xC3\xA9\n\xE2\x82\xAC\n\xF0\x9F\x98\x80\n"});

  EXPECT_EQ(lines,
            (std::vector<Got>{{"\xC3\xA9", 2}, {"\xE2\x82\xAC", 4}, {"\xF0\x9F\x98\x80", 7}}));
}

TEST(LineSplitterTest, ReplacesMalformedBytesWithReplacementCharacter) {
  LineSplitter s;

  auto lines = split(s, {"a\xFF"
                         "b\xE2\x82z\n"});

  EXPECT_EQ(lines, (std::vector<Got>{{"a\xEF\xBF\xBD"
                                      "b\xEF\xBF\xBDz",
                                      6}}));
}

TEST(LineSplitterTest, StartsAtSetPosition) {
  LineSplitter s;
  s.set_position(40);

  auto lines = split(s, {"a\n"});

  EXPECT_EQ(lines, (std::vector<Got>{{"a", 42}}));
}

TEST(LineSplitterTest, SkipsStoredOffsetThenContinuesCounting) {
  LineSplitter s(16);
  s.skip(8);

  auto lines = split(s, {"one\ntwo\nthree\n"});

  EXPECT_EQ(lines, (std::vector<Got>{{"three", 14}}));
}

TEST(LineSplitterTest, SkipsCharactersNotBytesInMultiByteText) {
  LineSplitter s;
  s.skip(2);  // "é\n" is two characters, three bytes

  auto lines = split(s, {"\xC3\xA9\nx\n"});

  EXPECT_EQ(lines, (std::vector<Got>{{"x", 4}}));
}

TEST(LineSplitterTest, SkipWaitsForSequenceCutByEndOfRead) {
  LineSplitter s;
  s.skip(2);

  auto lines = split(s, {"\xC3", "\xA9\nx\n"});

  EXPECT_EQ(lines, (std::vector<Got>{{"x", 4}}));
}

TEST(LineSplitterTest, HoldsLinesWhileSkipIsIncomplete) {
  LineSplitter s;
  s.skip(10);

  auto lines = split(s, {"abc\n"});

  EXPECT_TRUE(lines.empty());
  EXPECT_TRUE(s.skipping());
}

TEST(CountUtf8Test, CountsAsciiAsOneCharPerByte) {
  std::string repaired;

  Utf8Count c = count_utf8("hello", repaired);

  EXPECT_EQ(c.chars, 5u);
  EXPECT_FALSE(c.replaced);
}

TEST(CountUtf8Test, ReplacesEachMaximalMalformedSubpartOnce) {
  std::string repaired;

  // E1 80 is a truncated 3-byte sequence (one subpart); C0 and 80 are invalid on their own.
  Utf8Count c = count_utf8(
      "\xE1\x80"
      "a\xC0\x80",
      repaired);

  EXPECT_EQ(c.chars, 4u);
  EXPECT_TRUE(c.replaced);
  EXPECT_EQ(repaired,
            "\xEF\xBF\xBD"
            "a\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(CountUtf8Test, RejectsEncodedSurrogates) {
  std::string repaired;

  Utf8Count c = count_utf8("\xED\xA0\x80", repaired);

  EXPECT_TRUE(c.replaced);
  EXPECT_EQ(c.chars, 3u);  // ED, A0, 80: no valid prefix, each replaced
}

std::string java(double v) {
  std::string out;
  append_java_number(v, out);
  return out;
}

std::string java(float v) {
  std::string out;
  append_java_number(v, out);
  return out;
}

TEST(JavaNumberTest, PrintsDoublesAsJavaDoubleToString) {
  EXPECT_EQ(java(1.0), "1.0");
  EXPECT_EQ(java(100.0), "100.0");
  EXPECT_EQ(java(0.5), "0.5");
  EXPECT_EQ(java(-2.25), "-2.25");
  EXPECT_EQ(java(0.001), "0.001");
  EXPECT_EQ(java(0.0001), "1.0E-4");
  EXPECT_EQ(java(1234567.0), "1234567.0");
  EXPECT_EQ(java(1e7), "1.0E7");
  EXPECT_EQ(java(1.5e10), "1.5E10");
  EXPECT_EQ(java(0.1), "0.1");
  EXPECT_EQ(java(0.0), "0.0");
  EXPECT_EQ(java(-0.0), "-0.0");
}

TEST(JavaNumberTest, PrintsFloatsWithShortestFloatDigits) {
  EXPECT_EQ(java(0.1f), "0.1");
  EXPECT_EQ(java(3.14f), "3.14");
}

}  // namespace
}  // namespace kanal::connectors
