// The parameter system moved to models/config (no SystemC); this name stays for the blocks that include it.
#pragma once

#include "config/params.h"
