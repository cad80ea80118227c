#ifndef TENDER_CLIBUV_SHIM_H
#define TENDER_CLIBUV_SHIM_H
// The whole libuv API; Swift imports it through this one header so that the
// module map stays independent of where pkg-config finds uv.h.
#include <uv.h>

#ifdef __linux__
#include <sys/prctl.h>
// prctl is variadic, which Swift cannot call. Asks the kernel to send `signal`
// to this process when the thread that spawned it exits (see TenderUV's ParentLink).
static inline int tender_set_parent_death_signal(int signal) {
    return prctl(PR_SET_PDEATHSIG, (unsigned long)signal, 0UL, 0UL, 0UL);
}
#endif
#endif
