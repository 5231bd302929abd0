// Micro-benchmark of the transform chain: ns/record for InsertField$Value + MaskField$Value +
// RegexRouter over schemaful source records (a struct of 5 fields), as a connector config would
// set it up. Not a test: it prints figures.
//
//   kanal_transforms_bench [records]     (default 1000000)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "data/record.h"
#include "data/schema.h"
#include "data/value.h"
#include "transforms/transform_chain.h"
#include "transforms/transform_registry.h"

namespace {

using kanal::data::SchemaBuilder;
using kanal::data::SchemaPtr;
using kanal::data::Struct;
using kanal::data::Value;
namespace schemas = kanal::data::schemas;

kanal::data::SourceRecord make_record(const SchemaPtr& schema, int64_t i) {
  Struct s(schema);
  s.set(0, Value::int64(i));
  s.set(1, Value::string("customer-" + std::to_string(i % 1000)));
  s.set(2, Value::string("4111-1111-1111-1111"));
  s.set(3, Value::float64(static_cast<double>(i) * 0.25));
  s.set(4, Value::boolean(i % 2 == 0));
  kanal::data::SourceRecord r;
  r.topic = "orders-raw";
  r.kafka_partition = static_cast<int32_t>(i % 6);
  r.timestamp = 1700000000000 + i;
  r.value_schema = schema;
  r.value = Value(std::move(s));
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t n = argc > 1 ? std::atoll(argv[1]) : 1000000;
  const SchemaPtr schema = SchemaBuilder::structure()
                               .name("com.example.Order")
                               .field("id", schemas::int64())
                               .field("customer", schemas::string())
                               .field("card", schemas::optional_string())
                               .field("amount", schemas::float64())
                               .field("paid", schemas::boolean())
                               .build();
  auto registry = kanal::transforms::TransformRegistry::with_builtins();
  auto chain = kanal::transforms::TransformChain::create(
      {{"transforms", "insert,mask,route"},
       {"transforms.insert.type", "org.apache.kafka.connect.transforms.InsertField$Value"},
       {"transforms.insert.topic.field", "topic"},
       {"transforms.insert.timestamp.field", "ts"},
       {"transforms.mask.type", "org.apache.kafka.connect.transforms.MaskField$Value"},
       {"transforms.mask.fields", "card"},
       {"transforms.route.type", "org.apache.kafka.connect.transforms.RegexRouter"},
       {"transforms.route.regex", "(.*)-raw"},
       {"transforms.route.replacement", "$1-clean"}},
      registry);
  if (!chain.ok()) {
    std::fprintf(stderr, "chain: %s\n", chain.status().message().c_str());
    return 1;
  }

  // Records are built up front (in batches, as a task's poll() hands them over) so the timed
  // loop measures the chain only.
  constexpr int64_t kBatch = 10000;
  std::vector<kanal::data::SourceRecord> batch;
  batch.reserve(kBatch);
  std::chrono::nanoseconds in_chain{0};
  int64_t kept = 0;
  for (int64_t done = 0; done < n; done += kBatch) {
    batch.clear();
    for (int64_t i = done; i < done + kBatch && i < n; ++i) batch.push_back(make_record(schema, i));
    auto start = std::chrono::steady_clock::now();
    for (auto& r : batch) {
      auto out = chain->apply(r);
      if (!out.ok()) {
        std::fprintf(stderr, "apply: %s\n", out.status().message().c_str());
        return 1;
      }
      kept += *out == kanal::transforms::Outcome::kKeep ? 1 : 0;
    }
    in_chain += std::chrono::steady_clock::now() - start;
  }
  const auto& last = batch.back();
  std::printf(
      "transforms_bench: chain=InsertField$Value+MaskField$Value+RegexRouter records=%lld "
      "kept=%lld ns/record=%.1f (last topic=%s, fields=%zu)\n",
      static_cast<long long>(n), static_cast<long long>(kept),
      static_cast<double>(in_chain.count()) / static_cast<double>(n), last.topic.c_str(),
      last.value.as_struct().values().size());
  return 0;
}
