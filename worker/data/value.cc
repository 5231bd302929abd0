#include "data/value.h"

namespace kanal::data {}  // namespace kanal::data
