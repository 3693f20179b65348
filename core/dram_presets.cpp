// The DRAM presets (core/dram_preset.h). Timing from the JEDEC speed bins as the
// DRAM simulators encode them; energy per bit as published or derived from the
// datasheet IDD currents with DRAMsim3's formula (docs/memory-model.md "Presets").
#include "core/dram_preset.h"

namespace tpe {
namespace {

Registrar<DramPreset> ddr4("ddr4_3200_x64",
                           {"DDR4-3200 (bin 3200AA, 22-22-22), one 64-bit channel", 25.6, 64, 27.5,
                            14.0,
                            "25.6 GB/s = 3200 MT/s x 64 bit; burst BL8 x 8 B; tRCD = tCL = 22 "
                            "x 0.625 ns (ramulator2 src/dram/impl/DDR4.cpp DDR4_3200AA, "
                            "1fb94b8; DRAMsim3 configs/DDR4_8Gb_x8_3200.ini, 2981759); 14 "
                            "pJ/bit: one activation per 64-byte burst plus the read, from "
                            "DRAMsim3's IDD values and energy formula (13.6 pJ/bit, core "
                            "only, no I/O), about O'Connor et al. MICRO 2017's GDDR5 figure"});

Registrar<DramPreset> lpddr5("lpddr5_6400_x16",
                             {"LPDDR5-6400, one 16-bit channel", 12.8, 32, 39.25, 10.0,
                              "12.8 GB/s = 6400 MT/s x 16 bit; burst BL16 x 2 B (gem5 "
                              "src/mem/DRAMInterface.py, 787204c, class "
                              "LPDDR5_6400_1x16_BG_BL16); tRCD 18 ns + read latency 17 x 1.25 "
                              "ns (the same file, LPDDR5_6400_1x16_BG_BL32 and its base "
                              "class); 10 pJ/bit: an estimate, "
                              "LPDDR4-3200 IDD currents (DRAMSys memspec) at 1.05 V with one "
                              "activation per burst; no published LPDDR5 figure was found"});

Registrar<DramPreset> hbm2("hbm2_stack",
                           {"HBM2, one stack: 1024 bits at 2 Gb/s per pin (16 pseudo-channels "
                            "of 64 bits)",
                            256.0, 32, 28.0, 3.97,
                            "256 GB/s = 2 Gb/s x 1024 bit; burst BL4 x 8 B on a 64-bit "
                            "pseudo-channel (JESD235 pseudo-channel mode); tRCD = tCL = 14 x 1 "
                            "ns (DRAMsim3 configs/HBM2_8Gb_x128.ini, ramulator2 "
                            "python/ramulator/dram/hbm2.py); 3.97 pJ/bit: HBM2 as quoted from "
                            "O'Connor et al., Fine-Grained DRAM, MICRO 2017 (not read in the "
                            "original here)"});

} // namespace
} // namespace tpe
