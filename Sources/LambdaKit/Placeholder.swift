// Placeholder so the package builds; replaced by the LambdaKit work.
