// Placeholder so the package builds; replaced by the AuthEndpoints work.
