# GdSweeps: `make sweep` runs a sweep (default configs/seed.yaml), `make test` runs the tests.
CONFIG ?= configs/seed.yaml
ARGS ?=
# Config overrides, KEY=VALUE words: SET='steps=500 name=quick' passes --set steps=500 --set name=quick (a value with
# spaces goes through ARGS: ARGS="--set 'learning_rates=[0.01, 0.1]'").
SET ?=
SETS = $(foreach s,$(SET),--set '$(s)')
DOTNET ?= dotnet
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE := 1

BUILD := .build
CLI := $(BUILD)/cli/gdsweeps
# The sources, not what a build generates under obj/ (make pack and the test build write there too).
SOURCES := $(shell find src \( -name obj -o -name bin \) -prune -o \( -name '*.cs' -o -name '*.csproj' \) -print) \
  Directory.Build.props Directory.Packages.props global.json

.PHONY: all build sweep sweep-slurm test check chaos test-deps pack schema bench report-check clean
# The dotnet steps share the projects' obj/ folders: one at a time, even under make -j.
.NOTPARALLEL:

all: build

build: $(CLI)

# A native linker for the ahead-of-time build (Debian's clang is versioned).
CLANG := $(shell for c in clang clang-19 clang-18 clang-17 clang-16 clang-15 clang-14; do command -v $$c && break; done)

# Published once, as native code; rebuilt only when a source file changes, so `make sweep` starts at once.
# Without a native toolchain it falls back to ReadyToRun (JIT start-up, same results). scripts/build.sh says what it
# does as it goes (restore, C#, native code).
$(CLI): $(SOURCES)
	@DOTNET=$(DOTNET) bash scripts/build.sh $(BUILD)/cli $(CLANG)
	@touch $@

sweep: $(CLI)
	$(CLI) run $(CONFIG) $(SETS) $(ARGS)

# The same sweep as a Slurm job array of TASKS shards with CPUS each, then merged (docs/scale-out.md).
TASKS ?= 4
CPUS ?= 1
sweep-slurm: $(CLI)
	bash scripts/slurm/sweep.sh $(abspath $(CLI)) $(CONFIG) $(TASKS) $(CPUS)

# The .NET tool package, portable and framework-dependent (not the native build): .build/packages/GdSweeps.<version>.nupkg,
# installed with `dotnet tool install --global GdSweeps --add-source .build/packages`.
pack:
	@echo "packing the .NET tool package into $(BUILD)/packages"
	@$(DOTNET) pack src/GdSweeps.Cli/GdSweeps.Cli.csproj -c Release --nologo -v quiet -o $(BUILD)/packages
	@for p in $(BUILD)/packages/GdSweeps.*.nupkg; do echo "packed $$p"; done

# The JSON Schema of configs that editors read (configs/*.yaml name it on their first line), generated from the code that
# reads configs; SchemaTests fail when the shipped copy differs.
schema: $(CLI)
	$(CLI) schema > schema/gdsweeps.schema.json

# Installs Chromium, Slurm, munge, python3-numpy, python3-torch and Node.js when missing (as root on Debian) or stops with the command to run;
# scripts/test.sh checks again.
test-deps:
	@bash scripts/test-deps.sh

# The suite needs the built command (NativeBuildTests) and the tool package (ToolPackageTests).
test: test-deps $(CLI) pack
	@bash scripts/test.sh

# The fast tier, while working: every test that starts no process (neither gdsweeps nor any other program), in under
# 30 s after a change; the fuzz tests try a tenth of their cases. `make test` stays the full suite and CI's command.
check:
	@GDSWEEPS_FUZZ_SCALE=0.1 bash scripts/test.sh --filter "TestCategory!=process" --settings tests/check.runsettings

# The generated attacks at ten times their cases (GDSWEEPS_FUZZ_SEED=N explores another seed): mutated configs and CSV
# files, and random protocol streams from random process trees against the command trainer. make test runs them too,
# at their fixed seed and size.
chaos: $(CLI)
	@GDSWEEPS_FUZZ_SCALE=$${GDSWEEPS_FUZZ_SCALE:-10} bash scripts/test.sh --filter "FullyQualifiedName~FuzzTests"

# Every performance target against its peer, whole processes, alternating, medians (scripts/bench.py, docs/benchmarks.md).
bench: $(CLI)
	@/usr/bin/python3 scripts/bench.py

# Renders the report of CONFIG in headless Chromium and saves a screenshot to look at (for the seed, the README's: docs/report-seed.png).
report-check: $(CLI)
	@bash scripts/report-check.sh $(CLI) $(CONFIG)

clean:
	rm -rf $(BUILD) src/*/bin src/*/obj tests/*/bin tests/*/obj
