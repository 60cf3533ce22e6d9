// GlibcCompat supplies the `__wrap_hypot` and `__wrap_hypotf` symbols that the `--wrap` linker
// flags (see Package.swift) route every `hypot`/`hypotf` reference to. See GlibcCompat.c for why.
// Swift code never calls them; they are declared here for the numeric test
// (Tests/GlibcCompatTests), which compares them with libm's `__real_hypot`/`__real_hypotf`.
#ifndef GLIBC_COMPAT_H
#define GLIBC_COMPAT_H
#if defined(__linux__)
double __wrap_hypot(double x, double y);
float __wrap_hypotf(float x, float y);
double __real_hypot(double x, double y);
float __real_hypotf(float x, float y);
#endif
#endif
