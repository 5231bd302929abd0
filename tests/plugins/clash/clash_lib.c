/* A stand-in for a third-party library two plugins bundle in different versions: both define
 * the same exported symbol. With RTLD_LOCAL each plugin must bind its own. */
__attribute__((visibility("default"))) const char* kanal_test_clash_version(void) {
  return CLASH_VARIANT;
}
