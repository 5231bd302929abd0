// Helpers shared by the REST end-to-end tests (rest_*_test.cc): JSON bodies and the checks a
// user of the REST API makes on an answer.
#pragma once

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "rest/testing/http_client.h"
#include "support/kanal_worker.h"

namespace kanal::testing {

using rest::testing::HttpResult;

// `props` as a JSON object of strings.
inline std::string json_object(const Props& props) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  for (const auto& [k, v] : props) {
    w.Key(k.c_str(), static_cast<rapidjson::SizeType>(k.size()));
    w.String(v.c_str(), static_cast<rapidjson::SizeType>(v.size()));
  }
  w.EndObject();
  return buf.GetString();
}

// The body of POST /connectors.
inline std::string create_body(const std::string& name, const Props& config,
                               std::string_view initial_state = {}) {
  std::string body = "{\"name\":\"" + name + "\",\"config\":" + json_object(config);
  if (!initial_state.empty()) body += ",\"initial_state\":\"" + std::string(initial_state) + "\"";
  return body + "}";
}

inline rapidjson::Document parse_json(const HttpResult& r) {
  rapidjson::Document d;
  d.Parse(r.body.c_str());
  return d;
}

// `r` is Connect's error answer: HTTP `status` and the body {"error_code": status, "message":
// "..."} (nothing else), the message containing each of `fragments`.
inline ::testing::AssertionResult is_error(const HttpResult& r, int status,
                                           std::vector<std::string> fragments = {}) {
  if (r.status != status) {
    return ::testing::AssertionFailure()
           << "HTTP " << r.status << " instead of " << status << ", body: " << r.body;
  }
  rapidjson::Document d = parse_json(r);
  if (d.HasParseError() || !d.IsObject() || d.MemberCount() != 2 || !d.HasMember("error_code") ||
      !d["error_code"].IsInt() || !d.HasMember("message") || !d["message"].IsString()) {
    return ::testing::AssertionFailure() << "not an error body: " << r.body;
  }
  if (d["error_code"].GetInt() != status) {
    return ::testing::AssertionFailure()
           << "error_code differs from HTTP " << status << ": " << r.body;
  }
  std::string message = d["message"].GetString();
  for (const std::string& f : fragments) {
    if (message.find(f) == std::string::npos) {
      return ::testing::AssertionFailure() << "message lacks '" << f << "': " << message;
    }
  }
  return ::testing::AssertionSuccess();
}

inline std::vector<std::string> read_lines(const std::filesystem::path& path) {
  std::vector<std::string> out;
  std::ifstream in(path);
  std::string l;
  while (std::getline(in, l)) out.push_back(l);
  return out;
}

}  // namespace kanal::testing
