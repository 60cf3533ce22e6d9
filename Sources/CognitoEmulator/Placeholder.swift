// Placeholder so the package builds; replaced by the CognitoEmulator work.
