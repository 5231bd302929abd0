#include "e2e/headless_chromium.h"

// cpprestsdk's U() macro would break GoogleTest's templates (support/eventually.h below).
#define _TURN_OFF_PLATFORM_STRING
#include <cpprest/ws_client.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <condition_variable>
#include <fstream>
#include <map>
#include <mutex>

#include "rest/testing/http_client.h"
#include "support/eventually.h"

namespace kanal::testing {
namespace {

using namespace std::chrono_literals;

constexpr auto kCallTimeout = 30s;

std::string to_json(const rapidjson::Value& v) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  v.Accept(w);
  return buf.GetString();
}

// The debugging port chromium chose, from the first line of <profile>/DevToolsActivePort;
// nullopt until chromium has written it.
std::optional<int> read_devtools_port(const std::filesystem::path& profile) {
  std::ifstream in(profile / "DevToolsActivePort");
  int port = 0;
  if (!(in >> port) || port <= 0) return std::nullopt;
  return port;
}

// The websocket URL of the first page target in GET /json/list, "" when there is none yet.
std::string page_websocket_url(int port) {
  auto r = rest::testing::request("GET", "http://127.0.0.1:" + std::to_string(port) + "/json/list",
                                  "", "application/json", 5s);
  if (r.status != 200) return "";
  rapidjson::Document d;
  d.Parse(r.body.c_str());
  if (d.HasParseError() || !d.IsArray()) return "";
  for (const auto& target : d.GetArray()) {
    if (!target.IsObject() || !target.HasMember("type") || !target["type"].IsString() ||
        std::string_view(target["type"].GetString()) != "page" ||
        !target.HasMember("webSocketDebuggerUrl") || !target["webSocketDebuggerUrl"].IsString()) {
      continue;
    }
    return target["webSocketDebuggerUrl"].GetString();
  }
  return "";
}

}  // namespace

// One websocket to a page target. cpprestsdk calls the message handler on its own threads; it
// only stores the answer under the mutex, and the test thread waits for it with a deadline.
class HeadlessChromium::Connection {
 public:
  Status open(const std::string& url) {
    client_.set_message_handler(
        [inbox = inbox_](const web::websockets::client::websocket_incoming_message& m) {
          m.extract_string().then([inbox](pplx::task<std::string> body) {
            try {
              inbox->add(body.get());
            } catch (const std::exception&) {
              // A message that cannot be read leaves its command unanswered: the caller times out.
            }
          });
        });
    client_.set_close_handler([inbox = inbox_](auto, const auto&, const auto&) {
      std::lock_guard lock(inbox->mu);
      inbox->closed = true;
      inbox->cv.notify_all();
    });
    auto connected = std::make_shared<Completion>();
    client_.connect(web::uri(url)).then([connected](pplx::task<void> t) {
      std::string error;
      try {
        t.get();
      } catch (const std::exception& e) {
        error = e.what();
        if (error.empty()) error = "unknown websocket error";
      }
      connected->finish(error);
    });
    std::string error;
    if (!connected->wait(kCallTimeout, &error)) {
      return Status::timeout("No websocket connection to chromium at " + url);
    }
    if (!error.empty()) {
      return Status::internal("Cannot open the websocket to chromium at " + url + ": " + error);
    }
    connected_ = true;
    return Status::OK();
  }

  ~Connection() {
    if (!connected_) return;
    auto closed = std::make_shared<Completion>();
    try {
      client_.close().then([closed](pplx::task<void> t) {
        try {
          t.get();
        } catch (const std::exception&) {
          // The browser may already be gone; nothing left to close.
        }
        closed->finish("");
      });
      std::string ignored;
      (void)closed->wait(5s, &ignored);
    } catch (const std::exception&) {
      // Same: closing a connection the browser dropped.
    }
  }

  Status send(const std::string& text) {
    web::websockets::client::websocket_outgoing_message m;
    m.set_utf8_message(text);
    auto sent = std::make_shared<Completion>();
    client_.send(m).then([sent](pplx::task<void> t) {
      std::string error;
      try {
        t.get();
      } catch (const std::exception& e) {
        error = e.what();
        if (error.empty()) error = "unknown websocket error";
      }
      sent->finish(error);
    });
    std::string error;
    if (!sent->wait(kCallTimeout, &error)) return Status::timeout("Sending to chromium timed out");
    if (!error.empty()) return Status::internal("Sending to chromium failed: " + error);
    return Status::OK();
  }

  // Waits for the answer to command `id`; nullopt after `timeout` or when the socket closed.
  std::optional<std::string> answer(int64_t id, std::chrono::milliseconds timeout) {
    std::unique_lock lock(inbox_->mu);
    bool done = inbox_->cv.wait_for(
        lock, timeout, [&] { return inbox_->answers.count(id) > 0 || inbox_->closed; });
    if (!done || inbox_->answers.count(id) == 0) return std::nullopt;
    std::string out = std::move(inbox_->answers[id]);
    inbox_->answers.erase(id);
    return out;
  }

 private:
  struct Inbox {
    std::mutex mu;
    std::condition_variable cv;
    std::map<int64_t, std::string> answers;  // guarded by mu; command id → whole message
    bool closed = false;                     // guarded by mu

    // Keeps answers to commands; events (messages without an id) are not needed here.
    void add(const std::string& text) {
      rapidjson::Document d;
      d.Parse(text.c_str());
      if (d.HasParseError() || !d.IsObject() || !d.HasMember("id") || !d["id"].IsInt64()) return;
      std::lock_guard lock(mu);
      answers[d["id"].GetInt64()] = text;
      cv.notify_all();
    }
  };

  // The outcome of one asynchronous cpprestsdk operation.
  struct Completion {
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;  // guarded by mu
    std::string error;  // guarded by mu

    void finish(std::string e) {
      std::lock_guard lock(mu);
      done = true;
      error = std::move(e);
      cv.notify_all();
    }
    bool wait(std::chrono::milliseconds timeout, std::string* e) {
      std::unique_lock lock(mu);
      if (!cv.wait_for(lock, timeout, [&] { return done; })) return false;
      *e = error;
      return true;
    }
  };

  std::shared_ptr<Inbox> inbox_ = std::make_shared<Inbox>();
  web::websockets::client::websocket_callback_client client_;
  bool connected_ = false;
};

HeadlessChromium::HeadlessChromium() : dir_("kanal-chromium") {}

HeadlessChromium::~HeadlessChromium() {
  connection_.reset();
  // SIGTERM lets chromium shut its helper processes down; SIGKILL after the grace period.
  if (process_) process_->stop(10s);
}

Status HeadlessChromium::start(std::chrono::milliseconds timeout) {
  auto program = find_program("chromium");
  if (!program.ok()) {
    return Status::not_found(
        "The dashboard test needs Debian's chromium, which is not installed: run scripts/setup "
        "(or apt-get install chromium)");
  }
  std::filesystem::path profile = dir_ / "profile";
  auto spawned = Process::spawn({
      .program = program.value().string(),
      .args = {"--headless=new", "--no-sandbox", "--disable-gpu", "--remote-debugging-port=0",
               "--user-data-dir=" + profile.string(), "--no-first-run",
               "--no-default-browser-check", "--disable-extensions", "--disable-sync",
               "--disable-background-networking", "--disable-component-update",
               "--disable-breakpad", "--disable-dev-shm-usage", "about:blank"},
      .log_file = dir_ / "chromium.log",
  });
  if (!spawned.ok()) return spawned.status();
  process_.emplace(std::move(spawned).value());

  // Chromium writes the port it bound once it listens, then opens the about:blank page.
  std::string ws_url;
  bool exited = false;
  auto found = eventually(
      [&] {
        exited = !process_->running();
        if (exited) return true;
        auto port = read_devtools_port(profile);
        if (port) ws_url = page_websocket_url(*port);
        return !ws_url.empty();
      },
      timeout);
  if (exited) {
    return Status::internal("chromium exited (" + process_->exit_status()->to_string() +
                            ") before it opened its debugging port; its log:\n" + log_tail());
  }
  if (!found || ws_url.empty()) {
    return Status::timeout("chromium opened no page with a debugging port within " +
                           std::to_string(timeout.count()) + " ms; its log:\n" + log_tail());
  }
  connection_ = std::make_unique<Connection>();
  Status s = connection_->open(ws_url);
  if (!s.ok()) return Status::internal(s.to_string() + "; chromium's log:\n" + log_tail());
  return Status::OK();
}

Result<std::string> HeadlessChromium::call(const std::string& method,
                                           const std::string& params_json) {
  if (!connection_) return Status::internal("chromium is not started");
  int64_t id = next_id_++;
  std::string message = "{\"id\":" + std::to_string(id) + ",\"method\":\"" + method +
                        "\",\"params\":" + params_json + "}";
  KANAL_RETURN_IF_ERROR(connection_->send(message));
  auto reply = connection_->answer(id, kCallTimeout);
  if (!reply) {
    return Status::timeout("chromium did not answer " + method + " in time; its log:\n" +
                           log_tail());
  }
  rapidjson::Document d;
  d.Parse(reply->c_str());
  if (d.HasParseError() || !d.IsObject()) return Status::internal("Bad CDP answer: " + *reply);
  if (d.HasMember("error")) return Status::internal(method + " failed: " + to_json(d["error"]));
  if (!d.HasMember("result")) return Status::internal("CDP answer without result: " + *reply);
  return to_json(d["result"]);
}

Status HeadlessChromium::navigate(const std::string& url) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("url");
  w.String(url.c_str(), static_cast<rapidjson::SizeType>(url.size()));
  w.EndObject();
  auto result = call("Page.navigate", buf.GetString());
  if (!result.ok()) return result.status();
  rapidjson::Document d;
  d.Parse(result.value().c_str());
  if (d.IsObject() && d.HasMember("errorText") && d["errorText"].IsString()) {
    return Status::internal("chromium could not open " + url + ": " + d["errorText"].GetString());
  }
  return Status::OK();
}

Result<std::string> HeadlessChromium::evaluate(const std::string& expression) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("expression");
  w.String(expression.c_str(), static_cast<rapidjson::SizeType>(expression.size()));
  w.Key("awaitPromise");
  w.Bool(true);
  w.Key("returnByValue");
  w.Bool(true);
  w.EndObject();
  auto result = call("Runtime.evaluate", buf.GetString());
  if (!result.ok()) return result.status();
  rapidjson::Document d;
  d.Parse(result.value().c_str());
  if (d.HasParseError() || !d.IsObject()) return Status::internal("Bad answer: " + result.value());
  if (d.HasMember("exceptionDetails")) {
    const auto& ex = d["exceptionDetails"];
    std::string text = to_json(ex);
    if (ex.IsObject() && ex.HasMember("exception") && ex["exception"].IsObject() &&
        ex["exception"].HasMember("description") && ex["exception"]["description"].IsString()) {
      text = ex["exception"]["description"].GetString();
    }
    return Status::internal("The page threw evaluating `" + expression + "`: " + text);
  }
  if (!d.HasMember("result") || !d["result"].IsObject()) {
    return Status::internal("Bad answer: " + result.value());
  }
  const auto& r = d["result"];
  if (!r.HasMember("value")) return std::string("undefined");
  if (r["value"].IsString()) return std::string(r["value"].GetString());
  return to_json(r["value"]);
}

std::string HeadlessChromium::log_tail(size_t lines) const {
  return tail_of_file(dir_ / "chromium.log", lines);
}

}  // namespace kanal::testing
