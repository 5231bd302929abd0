#include "data/schema.h"

namespace kanal::data {}  // namespace kanal::data
