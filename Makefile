# The front door: `make demo`, `make test`, `make` builds build/mediabridge.
# Meson and Ninja do the real work (see docs/build.md for why).

BUILD ?= build
ASAN_BUILD ?= build-asan
MESON_CI := $(if $(filter true,$(CI)),-Dwerror_ci=true,)

.PHONY: all deps test unit demo fuzz bench clean format package-check

all: $(BUILD)/build.ninja
	ninja -C $(BUILD) mediabridge

deps:
	@scripts/deps.sh build

$(BUILD)/build.ninja:
	@scripts/deps.sh build
	meson setup $(BUILD) $(MESON_CI)

$(ASAN_BUILD)/build.ninja:
	meson setup $(ASAN_BUILD) $(MESON_CI) -Db_sanitize=address,undefined \
	    -Db_lundef=false -Dbuildtype=debug

test:
	@scripts/deps.sh test
	@$(MAKE) --no-print-directory $(BUILD)/build.ninja $(ASAN_BUILD)/build.ninja
	@tests/run.sh $(BUILD) $(ASAN_BUILD)

demo: all
	$(BUILD)/mediabridge demo --dir demo

fuzz:
	@scripts/deps.sh test
	@tests/fuzz/run.sh $(or $(SECONDS_PER_TARGET),60)

bench:
	@scripts/deps.sh bench
	@$(MAKE) --no-print-directory all
	@bench/run.sh

# Builds, installs, upgrades and purges the package on THIS machine (root):
# not for CI (docs/operations.md, docs/build.md).
package-check:
	@scripts/deps.sh test
	@scripts/package-check.sh

format:
	clang-format -i src/*/*.c src/*/*.h tests/unit/*/*.c

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-fuzz
