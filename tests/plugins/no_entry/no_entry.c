/* A shared library without kanal_plugin_entry: not a kanal plugin. */
__attribute__((visibility("default"))) int kanal_test_not_a_plugin(void) { return 42; }
