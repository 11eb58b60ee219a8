// The one C header the GPIO backend sees: libgpiod plus the few libc pieces
// its reader thread needs (poll, eventfd, pthread) and the kernel clock state
// `sid doctor` reads (adjtimex), which Swift's Glibc module does not export.
#ifndef SPEEDWATCH_CGPIOD_SHIM_H
#define SPEEDWATCH_CGPIOD_SHIM_H

#include <gpiod.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <sys/timex.h>

// Which libgpiod API the headers are. Only libgpiod 1.x defines
// GPIOD_LINE_BULK_MAX_LINES (the v2 API has no bulk objects). The package
// manifest picks the Swift code path from pkg-config (the GPIOD_V2 condition);
// GPIOEdges checks at start-up that both agree, so a mismatch is an error
// naming both versions rather than a crash.
#ifdef GPIOD_LINE_BULK_MAX_LINES
#define SW_GPIOD_V2 0
#else
#define SW_GPIOD_V2 1
#endif

/// 1 when the headers are libgpiod 2.x, 0 for 1.x.
static inline int sw_gpiod_headers_are_v2(void) { return SW_GPIOD_V2; }

/// The library's own version string, whichever API it has.
static inline const char *sw_gpiod_version_string(void) {
#if SW_GPIOD_V2
    return gpiod_api_version();
#else
    return gpiod_version_string();
#endif
}

#endif
