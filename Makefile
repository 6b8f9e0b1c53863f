# GdSweeps: `make sweep` runs a sweep (default configs/seed.yaml), `make test` runs the tests.
CONFIG ?= configs/seed.yaml
ARGS ?=
DOTNET ?= dotnet
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE := 1

BUILD := .build
CLI := $(BUILD)/cli/gdsweeps
SOURCES := $(shell find src -name '*.cs' -o -name '*.csproj') Directory.Build.props Directory.Packages.props global.json

.PHONY: all build sweep test report-check clean

all: build

build: $(CLI)

# Published once; rebuilt only when a source file changes, so `make sweep` starts at once.
$(CLI): $(SOURCES)
	$(DOTNET) publish src/GdSweeps.Cli/GdSweeps.Cli.csproj -c Release -o $(BUILD)/cli --nologo -v quiet
	@touch $@

sweep: $(CLI)
	$(CLI) run $(CONFIG) $(ARGS)

test:
	@bash scripts/test.sh

# Renders the report of CONFIG in headless Chromium and saves a screenshot to look at.
report-check: $(CLI)
	@bash scripts/report-check.sh $(CLI) $(CONFIG)

clean:
	rm -rf $(BUILD) src/*/bin src/*/obj tests/*/bin tests/*/obj
