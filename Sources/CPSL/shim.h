#ifndef TIDINGS_CPSL_SHIM_H
#define TIDINGS_CPSL_SHIM_H

#include <libpsl.h>

#endif
