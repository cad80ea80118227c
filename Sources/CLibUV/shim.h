#ifndef TENDER_CLIBUV_SHIM_H
#define TENDER_CLIBUV_SHIM_H
// The whole libuv API; Swift imports it through this one header so that the
// module map stays independent of where pkg-config finds uv.h.
#include <uv.h>
#endif
