#include "rest/http_message.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace kanal::rest {

HttpResponse error_response(int http_status, std::string_view message) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("error_code");
  w.Int(http_status);
  w.Key("message");
  w.String(message.data(), static_cast<rapidjson::SizeType>(message.size()));
  w.EndObject();
  HttpResponse r;
  r.status = http_status;
  r.body = buf.GetString();
  return r;
}

HttpResponse error_response(const Status& status) {
  if (status.ok()) return error_response(500, "Internal error: an OK status reported as an error");
  return error_response(status.http_status(), status.message());
}

HttpResponse json_response(std::string json, int http_status) {
  HttpResponse r;
  r.status = http_status;
  r.body = std::move(json);
  return r;
}

HttpResponse empty_response(int http_status) {
  HttpResponse r;
  r.status = http_status;
  return r;
}

}  // namespace kanal::rest
