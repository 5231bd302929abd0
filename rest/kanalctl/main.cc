// kanalctl: the operator CLI over the REST API of a Kafka Connect worker (kanal or Apache Kafka
// Connect). Usage and exit codes: `kanalctl --help`, docs/kanalctl.md.
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "rest/kanalctl/commands.h"
#include "rest/kanalctl/options.h"
#include "rest/kanalctl/rest_client.h"

int main(int argc, char** argv) {
  using namespace kanal::ctl;
  std::vector<std::string> args(argv + 1, argv + argc);
  auto opts = parse_args(args, std::getenv("KANAL_URL"));
  if (!opts.ok()) {
    std::cerr << "kanalctl: " << opts.status().message() << '\n';
    return kExitUsage;
  }
  if (opts->version) {
    std::cout << "kanalctl " << KANAL_VERSION << '\n';
    return kExitOk;
  }
  if (opts->help) {
    std::cout << usage();
    return kExitOk;
  }
  auto transport = make_http_transport(opts->url, opts->ca_file);
  if (!transport.ok()) {
    std::cerr << "kanalctl: " << transport.status().message() << '\n';
    return kExitUsage;
  }
  int code = run_command(*opts, **transport, std::cout, std::cerr);
  // cpprestsdk finishes a request's stream clean-up on its own thread pool after the result was
  // delivered (at once after a failed connect). Returning from main would run static destructors
  // while those threads still work: a crash or a leak report at exit. The output is all written,
  // so leave at once.
  std::cout.flush();
  std::cerr.flush();
  std::_Exit(code);
}
