# Everyday commands; CMake is the build. See README.md.
BUILD   ?= build
JOBS    ?= 2
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# bash with pipefail: a command that fails before `| tee` fails its recipe
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
# Everything the build, the tests (yosys, OpenSTA's sta, Verilator with g++ and
# make; ccache, when present, lets the Verilator builds share their runtime and
# harness objects) and `make lint` (git, clang-format) run. The default Liberty library is
# vendored in third_party/ and unpacked by the build (CMake's own xz reader). Node.js
# renders the plots (tools/plot: Vega-Lite from npm, installed by npm ci from its lockfile;
# Debian's npm package is added only where the nodejs package does not bring npm).
PACKAGES := g++ make cmake ninja-build pkg-config libsystemc-dev verilator yosys opensta \
            catch2 libyaml-cpp-dev libcli11-dev nlohmann-json3-dev libfmt-dev clang-format git \
            clang libclang-rt-dev libmpfr-dev ccache nodejs

.PHONY: all build setup test test-full run synth engines formats formats-sweep lut lut-calibrations lut-scaling-check example roofline mutate bench lint \
        clean fuzz fuzz-build fuzz-smoke test-asan

all: build

setup:
	$(SUDO) apt-get update
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(PACKAGES)
	command -v npm >/dev/null || $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends npm
	cd tools/plot && npm ci --no-audit --no-fund

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release

build: $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

# Default suite: the fuzz smoke run, then 349 tests (clean-clone CI at 2d7ddba on a fresh
# 2-core machine, Verilator and ccache caches empty: 349 tests in 1,178 s, the whole CI run
# 32 minutes).
test: build fuzz-smoke
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -LE full

# Everything, including the long RTL sweep and gate-level checks (about 15 minutes on 2 cores),
# the L1 formats sweep (formats-sweep below: 24.5 minutes on 2 cores as two processes) and
# the exhaustive L0 PE-datapath suite (tests/full_fp_pe_l0.cpp: 16 minutes at 2a8dee9, 115
# pairings of one and of two widths).
test-full: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The L1 formats sweep (README "Verification levels"; tests/full_formats_sweep.cpp, also
# in test-full): every format (element and block-scaled) on every engine and dataflow at
# three array sizes through `tpe verify`'s checks, odd GEMM shapes, plus the other
# accumulators, L-Mul with each offset and the mixed act/weight pairs of one and of two
# code widths: 812 configurations (36 refused by the parser), 3,880 verify runs. Two
# processes side by side, the systolic columns and the broadcast engines' (each Verilator
# build uses 2 jobs, each verify run one core): 24.5 minutes measured at 2a8dee9 on the
# 2-core machine, all passing.
# Coverage tables in out/formats-sweep/{systolic,broadcast}/coverage*.md; TPE_SEED
# replays, TPE_SWEEP_ONLY=ID-PART runs a subset; an interrupted run resumes from the
# done/ directories (TPE_SWEEP_FRESH=1 runs everything).
SWEEP_ENV = TPE_CACHE_DIR=$(CURDIR)/$(BUILD)/tpe-cache
formats-sweep: build
	mkdir -p out
	cd $(BUILD) && { \
	  $(SWEEP_ENV) TPE_SWEEP_DIR=$(CURDIR)/out/formats-sweep/systolic \
	    ./tests/full_formats_sweep 'formats sweep: systolic*' & sys=$$!; \
	  $(SWEEP_ENV) TPE_SWEEP_DIR=$(CURDIR)/out/formats-sweep/broadcast ./tests/full_formats_sweep \
	    'formats sweep: cube,formats sweep: adder_tree,formats sweep: matrix2d'; rb=$$?; \
	  wait $$sys; rs=$$?; test $$rs -eq 0 -a $$rb -eq 0; }

run: build
	./$(BUILD)/tpe sim --arch configs/systolic_16x16_os.yaml --workload workloads/resnet50.csv --out out/run --seed 1

synth: build
	./$(BUILD)/tpe synth --arch configs/systolic_16x16_os.yaml --json out/synth/systolic_16x16_os.json

# The four engine families at equal peak MACs per cycle (256 multipliers) on
# ResNet-50, BERT-base and LLaMA-2-7B decode: area, fmax, cycles, utilization and
# energy by level, on ideal memory and behind one DDR4-3200 channel and one HBM2 stack
# (README "Engines beyond the systolic array"; 4.5 minutes on 2 cores, 7 to 13 shared).
ENGINE_CONFIGS := systolic_16x16_os cube_8x8x4 adder_tree_16x16 matrix2d_16x16
engines: build
	mkdir -p out
	./$(BUILD)/tpe compare $(foreach c,$(ENGINE_CONFIGS),--arch configs/$(c).yaml) \
	  --workload workloads/resnet50.csv --workload workloads/bert_base_seq512.csv \
	  --workload workloads/llama2_7b_decode.csv --operands random \
	  --memory ideal,ddr4_3200_x64,hbm2_stack --markdown out/engines.md --json out/engines.json

# Number formats compared (README "Number formats compared"): one 16x16 output-stationary
# array per PE/format in configs/formats (INT8, FP8 E4M3/E5M2, HiF8, BF16, FP16, L-Mul on
# E4M3 and BF16, MXFP8, MXFP4, NVFP4, and the W4A8 pairs INT8 x INT4 and MXFP8 x MXFP4):
# area, fmax, pJ/MAC, TOPS/W, TOPS/mm^2 and the SQNR
# of a 64x256x64 GEMM on normal and Student-t(3) operands, then the L-Mul table; a design
# the parser refuses keeps its row with the refusal (15 minutes on the shared 2-core
# machine: 14 min 42 s measured under nice -n 10, 8 designs run, 3 refused).
FORMAT_CONFIGS := int8 fp8_e4m3 fp8_e5m2 hif8 bf16 fp16 lmul_fp8_e4m3 lmul_bf16 mxfp8_e4m3 mxfp4 \
                  nvfp4 w4a8_int w4a8_mx
formats: build
	mkdir -p out
	./$(BUILD)/tpe formats $(foreach c,$(FORMAT_CONFIGS),--arch configs/formats/$(c).yaml) \
	  --operands random,normal:25 --accuracy-gemm 64x256x64 --seed 1 \
	  --markdown out/formats.md --json out/formats.json

# LUT-GEMV decode figures (README "LUT-GEMV on SRAM-PIM: tpe lut, make lut"): the weight
# GEMVs of a LLaMA-2-7B decode step at batch 1, 4, 16 and 64 with 2-, 3-, 4- and 8-bit
# weights on the weight-table (SAIL-like) and activation-table (T-MAC-like) designs, on
# per-token absmax-quantized Student-t(3) activations, beside the four equal-peak engines;
# the periphery's energy scaled by register bits from the committed calibrations of two
# designs the flow synthesizes (configs/calibration/, remade by `make lut-calibrations`).
LUT_CONFIGS := lut_gemv_w4a8 lut_gemv_tmac_w4a8
LUT_CALIBRATIONS := lut_gemv_small lut_gemv_act_small
lut: build
	mkdir -p out
	./$(BUILD)/tpe lut $(foreach c,$(LUT_CONFIGS),--arch configs/$(c).yaml) \
	  $(foreach c,$(ENGINE_CONFIGS),--vs configs/$(c).yaml) \
	  $(foreach c,$(LUT_CALIBRATIONS),--periphery configs/calibration/$(c).json) \
	  --workload workloads/llama2_7b_decode_weights.csv --batch 1,4,16,64 --weight-bits 2,3,4,8 \
	  --operands student_t:3 --seed 1 --markdown out/lut.md --json out/lut.json

# The example SystemC/TLM-2.0 platform (README "SystemC and TLM-2.0 platforms"): a CPU
# stand-in, a DDR4-timed memory and the 4x4 output-stationary array, run with the engine's
# SystemC model and then with its Verilated RTL; the two must print the same line (cycles,
# simulated time, checksum of C, both checked against the golden GEMM). Seconds, plus one
# Verilator build (cached).
EXAMPLE_ARGS := --arch configs/systolic_4x4_os.yaml --gemm 16x32x24 --seed 1
example: build
	mkdir -p out
	./$(BUILD)/examples/tpe_tlm_platform $(EXAMPLE_ARGS) --backend model | tee out/example_model.txt
	./$(BUILD)/examples/tpe_tlm_platform $(EXAMPLE_ARGS) --backend rtl | tee out/example_rtl.txt
	cmp out/example_model.txt out/example_rtl.txt && echo "example: model and RTL agree"

# The check of that scaling (docs/lut-gemv.md "Periphery at scale"): four pairs of designs the
# flow synthesizes, the scaled calibration against the target's own (about 8 minutes).
lut-scaling-check: build
	mkdir -p out
	TPE=./$(BUILD)/tpe OUT=out/lut-scaling tools/lut_scaling_check.sh | tee out/lut-scaling.md

# The reference calibrations of `make lut` (configs/calibration/README.md): tpe calibrate
# on each design, sky130 hd tt, 10 ns, random operands, seed 1 (about 20 minutes on 2 cores,
# 17 of them lut_gemv_small).
lut-calibrations: build
	$(foreach c,$(LUT_CALIBRATIONS),./$(BUILD)/tpe calibrate --arch configs/$(c).yaml \
	  --out configs/calibration/$(c).json &&) true

# The roofline over DRAM bandwidth (README "Memory"): the four equal-peak engines with their
# 64 KiB buffers on ResNet-50, BERT-base and LLaMA-2-7B decode at 1 to 1024 bytes per
# cycle (DDR4-3200's latency and bursts), as a table and docs/roofline.svg (seconds).
roofline: build
	mkdir -p out
	./$(BUILD)/tpe roofline $(foreach c,$(ENGINE_CONFIGS),--arch configs/$(c).yaml) \
	  --workload workloads/resnet50.csv --workload workloads/bert_base_seq512.csv \
	  --workload workloads/llama2_7b_decode.csv --markdown out/roofline.md \
	  --json out/roofline.json --vega out/roofline.vl.json
	node tools/plot/render.mjs out/roofline.vl.json docs/roofline.svg

# Mutation campaign of the checker: 14 mutants of each small design in
# configs/mutation (every engine and PE kind), each checked by `tpe verify`'s
# logic, survivors proven equivalent by yosys and ABC, the changed module
# alone first (README "The checker, tested by mutation"; about 1.5 hours on 2
# shared cores).
MUTATION_CONFIGS := $(sort $(wildcard configs/mutation/*.yaml))
mutate: build
	mkdir -p out
	./$(BUILD)/tpe mutate $(foreach c,$(MUTATION_CONFIGS),--arch $(c)) --per-design 14 --seed 12 \
	  --json out/mutate.json

bench: build
	./$(BUILD)/bench/bench_systolic
	./$(BUILD)/bench/bench_gate_sim
	./$(BUILD)/bench/bench_workload

lint: build
	clang-format --dry-run --Werror $$(git ls-files '*.cpp' '*.h')

# Fuzzing and sanitizers (README "Fuzzing and sanitizers"). The fuzz build is clang
# with ASan + UBSan + libFuzzer in build-fuzz; clang warns where gcc does not, so
# -Werror stays with the gcc build.
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 10
FUZZ_TARGETS := arch workload scalesim liberty calibration
$(FUZZ_BUILD)/build.ninja:
	cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_CXX_COMPILER=clang++ -DTPE_FUZZ=ON -DTPE_WERROR=OFF

fuzz-build: $(FUZZ_BUILD)/build.ninja
	cmake -S . -B $(FUZZ_BUILD) -DTPE_FUZZ_SMOKE_SECONDS=$(FUZZ_SMOKE_SECONDS) > /dev/null
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_targets

# Each target FUZZ_SECONDS on its seed corpus fuzz/corpus/<t> (new inputs go to
# out/fuzz/<t>); a crash, sanitizer report, leak, hang (-timeout) or huge
# allocation stops with the input written to out/fuzz/<t>-crash-... and fails.
fuzz: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p out/fuzz/$$t && \
	  echo "fuzz: $$t for $(FUZZ_SECONDS) s" && \
	  ./$(FUZZ_BUILD)/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	    -rss_limit_mb=2048 -malloc_limit_mb=1024 -print_final_stats=1 \
	    -artifact_prefix=out/fuzz/$$t- -dict=fuzz/$$t.dict out/fuzz/$$t fuzz/corpus/$$t \
	    2> out/fuzz/$$t.log || { tail -40 out/fuzz/$$t.log; exit 1; }; \
	  grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)' out/fuzz/$$t.log; \
	done

# The short run of `make test`: every seed replayed, then FUZZ_SMOKE_SECONDS per target.
fuzz-smoke: fuzz-build
	cd $(FUZZ_BUILD) && ctest --output-on-failure -L fuzz

# The unit tests (label fast) built with ASan + UBSan (gcc) in build-asan.
ASAN_BUILD ?= build-asan
$(ASAN_BUILD)/build.ninja:
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTPE_SANITIZE=ON

test-asan: $(ASAN_BUILD)/build.ninja
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS) -L fast

clean:
	rm -rf $(BUILD) $(FUZZ_BUILD) $(ASAN_BUILD) out
