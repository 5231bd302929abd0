#include "data/simple_header_converter.h"

namespace kanal::data {}  // namespace kanal::data
