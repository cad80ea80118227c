#ifndef TENDER_CSQLITE_SHIM_H
#define TENDER_CSQLITE_SHIM_H
#include <sqlite3.h>

// SQLITE_TRANSIENT is a macro casting -1 to a function pointer, which Swift
// cannot import; bind calls that must copy their buffer use this instead.
static inline void (*csqlite_transient(void))(void *) {
    return (void (*)(void *))-1;
}
#endif
