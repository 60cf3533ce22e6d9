// Placeholder so the package builds.
