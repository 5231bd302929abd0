#include "data/converter.h"

namespace kanal::data {}  // namespace kanal::data
