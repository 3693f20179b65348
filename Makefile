# Everyday commands; CMake is the build. See README.md.
BUILD   ?= build
JOBS    ?= 2
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PACKAGES := g++ make cmake ninja-build pkg-config libsystemc-dev verilator yosys opensta \
            catch2 libyaml-cpp-dev libcli11-dev nlohmann-json3-dev libfmt-dev

# The SkyWater 130 nm library beside the repository is the default Liberty file.
PDK_LIB := $(abspath ../shared/pdk/sky130_fd_sc_hd__tt_025C_1v80.lib)
ifneq ($(wildcard $(PDK_LIB)),)
export TPE_LIBERTY ?= $(PDK_LIB)
endif

.PHONY: all build setup test test-full run synth engines mutate bench lint clean

all: build

setup:
	$(SUDO) apt-get update
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(PACKAGES)

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release

build: $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

# Default suite (about 7 minutes on 2 cores with a cold Verilator cache).
test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -LE full

# Everything, including the long RTL sweep and gate-level checks (about 15 minutes on 2 cores).
test-full: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

run: build
	./$(BUILD)/tpe sim --arch configs/systolic_16x16_os.yaml --workload workloads/resnet50.csv --out out/run --seed 1

synth: build
	./$(BUILD)/tpe synth --arch configs/systolic_16x16_os.yaml --json out/synth/systolic_16x16_os.json

# The four engine families at equal peak MACs per cycle (256 multipliers) on
# ResNet-50, BERT-base and LLaMA-2-7B decode: area, fmax, cycles, utilization and
# energy (README "Engines beyond the systolic array"; about 3 minutes on 2 cores).
ENGINE_CONFIGS := systolic_16x16_os cube_8x8x4 adder_tree_16x16 matrix2d_16x16
engines: build
	mkdir -p out
	./$(BUILD)/tpe compare $(foreach c,$(ENGINE_CONFIGS),--arch configs/$(c).yaml) \
	  --workload workloads/resnet50.csv --workload workloads/bert_base_seq512.csv \
	  --workload workloads/llama2_7b_decode.csv --operands random \
	  --markdown out/engines.md --json out/engines.json

# Mutation campaign of the checker: 14 mutants of each small design in
# configs/mutation (every engine and PE kind), each checked by `tpe verify`'s
# logic, survivors proven equivalent by yosys (README "Verification levels";
# about 2 hours on 2 shared cores).
MUTATION_CONFIGS := $(sort $(wildcard configs/mutation/*.yaml))
mutate: build
	mkdir -p out
	./$(BUILD)/tpe mutate $(foreach c,$(MUTATION_CONFIGS),--arch $(c)) --per-design 14 --seed 12 \
	  --json out/mutate.json

bench: build
	./$(BUILD)/bench/bench_systolic
	./$(BUILD)/bench/bench_gate_sim

lint: build
	clang-format --dry-run --Werror $$(git ls-files '*.cpp' '*.h')

clean:
	rm -rf $(BUILD) out
