// Declarations only (include/sqlite_calls.h); the functions are sqlite-nio's.
#include "sqlite_calls.h"
