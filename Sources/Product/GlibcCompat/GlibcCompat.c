// Keeps the handler binaries loadable on AWS Lambda's provided.al2023 (glibc 2.34).
//
// glibc 2.35 gave `hypot` and `hypotf` a new default symbol version, GLIBC_2.35. A binary
// linked against a newer glibc, as on this Debian 12 toolchain (glibc 2.36), references
// `hypot@GLIBC_2.35` and `hypotf@GLIBC_2.35` (from the statically linked Swift runtime and
// Foundation), and glibc 2.34's loader refuses to start it ("version `GLIBC_2.35' not found").
//
// Package.swift links every handler executable with `--wrap=hypot --wrap=hypotf`: the linker
// sends each undefined reference to `hypot`/`hypotf` to `__wrap_hypot`/`__wrap_hypotf`, defined
// here, so the binary references no versioned `hypot` at all.
//
// Why the wrappers compute the result instead of calling glibc's older `hypot@GLIBC_2.2.5`
// through `.symver`: Swift links with gold, and gold applies `--wrap` to versioned references
// too, so `hypot@GLIBC_2.2.5` became `__wrap_hypot` again and the wrapper called itself forever
// (measured). Computing in a wider type is linker-independent and accurate:
// - hypot: in long double (x87 80-bit on x86_64, IEEE quad on aarch64). x*x and y*y lose at most
//   2^-64 relative, the sum and sqrt as much again, then one rounding to double: within 1 ulp
//   of the exact value, no overflow or underflow of the squares for any finite double.
// - hypotf: in double, where the squares of floats are exact (glibc's own hypotf does the same).
// Both follow C Annex F: an infinite argument gives +inf even if the other is NaN; a NaN gives
// NaN; overflow of the result sets errno to ERANGE. Tests/GlibcCompatTests checks them against
// the system libm (within 1 ulp on random pairs, and the special cases).

#if defined(__linux__)

#include <errno.h>
#include <math.h>

double __wrap_hypot(double x, double y);
float __wrap_hypotf(float x, float y);

double __wrap_hypot(double x, double y) {
    if (isinf(x) || isinf(y)) return INFINITY;
    if (isnan(x) || isnan(y)) return x + y;  // propagates the NaN
    long double lx = x, ly = y;
    double r = (double)sqrtl(lx * lx + ly * ly);
    if (isinf(r)) errno = ERANGE;
    return r;
}

float __wrap_hypotf(float x, float y) {
    if (isinf(x) || isinf(y)) return INFINITY;
    if (isnan(x) || isnan(y)) return x + y;
    double dx = x, dy = y;
    float r = (float)sqrt(dx * dx + dy * dy);
    if (isinf(r)) errno = ERANGE;
    return r;
}

#endif // __linux__ (elsewhere no --wrap flags are passed and nothing is needed)
