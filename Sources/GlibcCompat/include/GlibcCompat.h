// GlibcCompat has no API for Swift code: it only supplies the `__wrap_hypot` and
// `__wrap_hypotf` symbols that the `--wrap` linker flags (see Package.swift) route every
// `hypot`/`hypotf` reference to. See GlibcCompat.c for why.
#ifndef GLIBC_COMPAT_H
#define GLIBC_COMPAT_H
#endif
