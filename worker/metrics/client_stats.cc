#include "metrics/client_stats.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <cstdint>

namespace kanal::metrics {
namespace {

int64_t int_member(const rapidjson::Value& v, const char* key) {
  auto it = v.FindMember(key);
  if (it == v.MemberEnd() || !it->value.IsNumber()) return 0;
  return it->value.IsInt64() ? it->value.GetInt64() : static_cast<int64_t>(it->value.GetDouble());
}

}  // namespace

bool read_client_stats(std::string_view json, ClientStats& out) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject()) return false;
  int64_t retries = 0;
  int64_t errors = 0;
  int64_t rtt = 0;
  if (auto b = doc.FindMember("brokers"); b != doc.MemberEnd() && b->value.IsObject()) {
    for (const auto& broker : b->value.GetObject()) {
      if (!broker.value.IsObject()) continue;
      retries += int_member(broker.value, "txretries");
      errors += int_member(broker.value, "txerrs");
      if (auto r = broker.value.FindMember("rtt");
          r != broker.value.MemberEnd() && r->value.IsObject()) {
        rtt = std::max(rtt, int_member(r->value, "avg"));
      }
    }
  }
  int64_t lag = 0;
  if (auto t = doc.FindMember("topics"); t != doc.MemberEnd() && t->value.IsObject()) {
    for (const auto& topic : t->value.GetObject()) {
      if (!topic.value.IsObject()) continue;
      auto p = topic.value.FindMember("partitions");
      if (p == topic.value.MemberEnd() || !p->value.IsObject()) continue;
      for (const auto& partition : p->value.GetObject()) {
        // -1 is librdkafka's UA (unassigned) partition; a lag of -1 means not known yet.
        if (!partition.value.IsObject() || int_member(partition.value, "partition") < 0) continue;
        int64_t l = int_member(partition.value, "consumer_lag");
        if (l > 0) lag += l;
      }
    }
  }
  out.queue_messages.set(int_member(doc, "msg_cnt"));
  out.queue_bytes.set(int_member(doc, "msg_size"));
  out.tx_retries.set(retries);
  out.tx_errors.set(errors);
  out.rtt_avg_us.set(rtt);
  out.consumer_lag.set(lag);
  out.reported.set(1);
  return true;
}

}  // namespace kanal::metrics
