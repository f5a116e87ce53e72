# envwatch: the stable entry point. See README.md.
#   make          build build/envwatch (release)
#   make test     install missing Debian packages, build release and ASan+UBSan, run all tests
#   make demo     run the platform on SQLite with demo data
#   make bench    run the benchmarks
#   make fuzz     run every fuzzer for FUZZ_SECONDS each
#   make mutants  apply tests/mutants.list one mutation at a time; prints killed K of N
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
JOBS       ?= $(shell nproc)

.PHONY: all deps configure test unit bench fuzz demo clean format mutants

all: $(BUILD)/envwatch

$(BUILD)/envwatch: FORCE
	@scripts/deps.sh build
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

asan: FORCE
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DENVWATCH_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)

deps:
	@scripts/deps.sh test

test: deps
	@$(MAKE) --no-print-directory all asan
	@tests/run.sh $(BUILD) $(ASAN_BUILD)

bench: all
	@bench/run.sh $(BUILD)

fuzz: deps
	@CC=clang cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DENVWATCH_FUZZ=ON >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS)
	@fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

mutants:
	@JOBS=2 scripts/mutants.sh tests/mutants.list

demo: all
	@scripts/demo.sh $(BUILD)

format:
	@clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)

FORCE:
