/* A plugin that reports ABI major 2: the worker must refuse it by name and keep going. */
#include <kanal/kanal.h>

static const kanal_plugin_descriptor kDescriptor = {sizeof(kanal_plugin_descriptor),
                                                    KANAL_ABI_MAJOR + 1,
                                                    0,
                                                    KANAL_STR("wrong-abi"),
                                                    KANAL_STR("1.0.0"),
                                                    NULL,
                                                    0,
                                                    NULL,
                                                    0,
                                                    NULL,
                                                    0,
                                                    NULL,
                                                    0};

kanal_status kanal_plugin_entry(const kanal_host* host, const kanal_plugin_descriptor** out,
                                char* err, size_t err_size) {
  (void)host;
  (void)err;
  (void)err_size;
  *out = &kDescriptor;
  return KANAL_OK;
}
