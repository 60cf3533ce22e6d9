# `sam build` runs `make build-<FunctionLogicalId>` (template.yaml: Metadata: BuildMethod: makefile)
# with ARTIFACTS_DIR set; each target puts the checked `bootstrap` there. No Docker is needed:
# scripts/package builds the release binary with the static Swift runtime on this machine,
# applies the provided.al2023 checks (glibc <= 2.34, allowed shared libraries) and copies it.
#
# Build in the source folder (samconfig.toml sets build_in_source = true, or pass
# `sam build --build-in-source`): otherwise SAM first copies the whole project, .build included,
# to a scratch folder and every function is compiled again from nothing.

# The Lambda architecture: the same value as the template's Architecture parameter (samconfig.toml
# sets both from one place per environment; CI exports LAMBDA_ARCH). scripts/package refuses an
# architecture this host cannot build rather than building the host's.
LAMBDA_ARCH ?= x86_64
PACKAGE := ./scripts/package --arch $(LAMBDA_ARCH)

.PHONY: build-SignInFunction build-MeFunction build-LogoutFunction build-RefreshFunction build-AuthorizerFunction build-ProtectedExampleFunction build-RevocationSinkFunction package

build-SignInFunction:
	$(PACKAGE) --function sign-in --no-zip --artifacts-dir "$(ARTIFACTS_DIR)"

build-MeFunction:
	$(PACKAGE) --function me --no-zip --artifacts-dir "$(ARTIFACTS_DIR)"

build-LogoutFunction:
	$(PACKAGE) --function logout --no-zip --artifacts-dir "$(ARTIFACTS_DIR)"

build-RefreshFunction:
	$(PACKAGE) --function refresh --no-zip --artifacts-dir "$(ARTIFACTS_DIR)"

build-AuthorizerFunction:
	$(PACKAGE) --function authorizer --no-zip --artifacts-dir "$(ARTIFACTS_DIR)"

build-ProtectedExampleFunction:
	$(PACKAGE) --function protected-example --no-zip --artifacts-dir "$(ARTIFACTS_DIR)"

build-RevocationSinkFunction:
	$(PACKAGE) --function revocation-sink --no-zip --artifacts-dir "$(ARTIFACTS_DIR)"

# The zips in .build/lambda/, outside SAM.
package:
	$(PACKAGE)
