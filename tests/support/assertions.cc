#include "support/assertions.h"

#include <cctype>
#include <string>

namespace kanal::testing {

std::string unique_test_name(std::string_view suffix) {
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = info != nullptr ? std::string(info->test_suite_name()) + "." + info->name()
                                     : std::string("kanal-test");
  if (!suffix.empty()) {
    name += "-";
    name += suffix;
  }
  for (char& c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (!std::isalnum(u) && c != '.' && c != '_' && c != '-') c = '-';
  }
  // Kafka's limit on topic names.
  if (name.size() > 249) name.resize(249);
  return name;
}

}  // namespace kanal::testing
