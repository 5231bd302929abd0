#include "data/simple_converters.h"

namespace kanal::data {}  // namespace kanal::data
