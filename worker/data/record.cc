#include "data/record.h"

namespace kanal::data {}  // namespace kanal::data
