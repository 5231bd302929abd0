#include "data/json_converter.h"

namespace kanal::data {}  // namespace kanal::data
