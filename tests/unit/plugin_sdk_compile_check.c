/* Compile-only: kanal.h as C99 with -pedantic -Werror (target kanal_sdk_c99_check). */
#include <kanal/kanal.h>

int kanal_sdk_c99_check(const kanal_host* host);
int kanal_sdk_c99_check(const kanal_host* host) {
  return KANAL_HAS_FIELD(kanal_host, host, sink_report_errant) ? 1 : 0;
}
