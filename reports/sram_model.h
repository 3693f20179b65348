// The analytic SRAM macro model: read and write energy per access, clocked-idle energy
// per cycle, leakage and area of one SRAM macro as functions of its words, word width,
// ports, technology node and supply (docs/sram-model.md). Two data sets, no blending:
//  - 130 nm (SkyWater sky130): the OpenRAM sky130 dual-port macros (VLSIDA/
//    sky130_sram_macros, the 2023 re-characterized 1rw1r libraries of 256, 512 and 1024
//    words x 32 bits; areas from the LEF SIZE of those and of the 2048 x 32 1rw1r and the
//    256..1024 x 32 1rw macros). Between the macros every figure is interpolated piecewise
//    linearly in log(words) -> log(figure), exact at the macros (a power law in words
//    misses the reads by 7%, a straight line by 4%); a wider word is ceil(width / 32)
//    32-bit macros side by side (each figure times that count).
//  - 22..90 nm: the CACTI 7 grid (third_party/cacti7/cacti7_sram_grid.csv: 90, 65, 45,
//    32, 28, 22 nm x 1 KB..1 MB x 64 / 256-bit words, 1 RW port, itrs-hp), interpolated
//    piecewise linearly in log space: in log(capacity) per width, then in log(width),
//    then in log(node) between the two grid nodes around the node; a word wider than 256
//    bits is ceil(width / 256) equal macros side by side. The grid points are reproduced
//    exactly; the error between grid points (leave-one-out) is in docs/sram-model.md.
// Figures outside the data follow the documented rules of sram_extrapolation(); inputs
// beyond the allowed domain throw std::invalid_argument naming the parameter.
#pragma once
#include <string>

namespace tpe {

// Port configurations of OpenRAM's sky130 macros: one read-write port, or one
// read-write port (port 0) and one read-only port (port 1).
enum class SramPorts { k1rw, k1rw1r };

// "1rw" or "1rw1r"; throws std::invalid_argument otherwise.
SramPorts parse_sram_ports(const std::string& s);
const char* sram_ports_name(SramPorts p);

// One SRAM macro. words >= 1; width_bits >= 1 (the word read or written per access);
// node_nm in 22..90 (CACTI 7) or 130 (sky130); volts = 0 means the node's nominal
// supply (sram_nominal_volts), otherwise 0.5..1.5 x that supply.
struct SramMacro {
  long long words = 0;
  int width_bits = 0;
  SramPorts ports = SramPorts::k1rw;
  double node_nm = 130;
  double volts = 0;
};

// Allowed domain (beyond it every function below throws std::invalid_argument):
//   130 nm: words 16..16384 (16x beyond the 256..1024-word macros), width 1..1024 bits
//           (up to 32 macros side by side);
//   22..90 nm: capacity words x width / 8 from 64 B to 16 MiB (16x beyond the grid's
//           1 KB..1 MB), width 16..1024 bits (4x beyond 64..256; above 256, side-by-side
//           macros of at most 256 bits).
// Inside the domain but outside the data (sram_extrapolation says which) the figures
// are extrapolated along the end segments of the interpolation.

// The nominal supply of the data at a node (V): 1.8 at 130 nm (the TT 1.8 V libraries);
// CACTI 7's itrs-hp Vdd at the grid nodes (tech_params/*.dat: 1.2 at 90, 1.1 at 65,
// 1.0 at 45, 0.9 at 32, 0.86 at 28 (CACTI's linear interpolation of 32 and 22), 0.8 at
// 22 nm), interpolated like the figures in between. Throws for a node outside the data.
double sram_nominal_volts(double node_nm);

// Energy of one read on `port` (0: the rw port; 1: the read-only port of a 1rw1r
// macro), pJ. Dynamic energies scale by (volts / nominal)^2.
double sram_read_pj(const SramMacro& m, int port = 0);
// Energy of one write (port 0), pJ.
double sram_write_pj(const SramMacro& m);
// Energy of one cycle in which `port` is clocked but deselected (chip select off), pJ.
// Each clocked port costs, every cycle, either its access energy (read or write above:
// the Liberty figures are whole clock-pin energies) or this; a 1rw1r macro idle on both
// ports costs idle(0) + idle(1). At 130 nm the mean of the three macros per port (port 0:
// 2.08, 2.32, 2.13 pJ; port 1: 2.08, 2.34, 2.18: no trend with words); CACTI has no such
// figure, so at 22..90 nm it is sky130's port-0 idle / read ratio (0.40) times the port-0
// read, for either port. Dynamic: scales by (volts / nominal)^2.
double sram_idle_pj_per_cycle(const SramMacro& m, int port = 0);
// Leakage, uW (sky130 Liberty leakage; CACTI's itrs-hp leakage, which is high: an LSTP
// cell leaks far less). Scales by volts / nominal (leakage current held).
double sram_leakage_uw(const SramMacro& m);
// Area, um^2 (sky130: LEF SIZE; CACTI: its area). Independent of the supply.
double sram_area_um2(const SramMacro& m);

// Empty when every figure of the macro lies within its data; otherwise one line naming
// each rule applied: words or capacity outside the data (end-segment extrapolation), a
// width other than 32 at 130 nm (side-by-side macros: an upper bound; against the 64-bit
// 1rw macros it overestimates their area by 12% and 26%), a width below 64 (end-segment
// extrapolation) or above 256 (side-by-side macros) at 22..90 nm, 1rw at 130 nm (its libraries are
// unreliable: the dual-port port-0 energies stand in), 1rw1r at 22..90 nm (the grid is single-port:
// the area is times sky130's dual/single-port ratio 1.74, energies per access as 1rw). Throws like
// the figures.
std::string sram_extrapolation(const SramMacro& m);

// A macro's activity over a run: accesses and the cycles it is clocked (every port
// is clocked on every one of them). Counts may be fractional (a buffer word that
// holds several elements), and may sum several identical macros (cycles = macros x
// cycles of each): every term below is linear in them.
struct SramActivity {
  double reads = 0, writes = 0, cycles = 0;
};
// The energy of one macro over a run, pJ, by term.
struct SramEnergy {
  double read_pj = 0, write_pj = 0, idle_pj = 0, leakage_pj = 0;
  double total() const { return read_pj + write_pj + idle_pj + leakage_pj; }
  SramEnergy& operator+=(const SramEnergy& o) { // term by term (runs summed)
    read_pj += o.read_pj;
    write_pj += o.write_pj;
    idle_pj += o.idle_pj;
    leakage_pj += o.leakage_pj;
    return *this;
  }
};
// Ports: a 1rw macro reads and writes on port 0; a 1rw1r macro writes on port 0 and
// reads on port 1 (a buffer filled while it is read, a PIM array built on its write
// port while its read port looks up). Energy = reads x sram_read_pj(port) + writes x
// sram_write_pj + each port's cycles without an access x sram_idle_pj_per_cycle(port)
// + sram_leakage_uw x cycles x clock_ns (uW x ns = 1e-3 pJ). Throws
// std::invalid_argument like the figures, and "sram port P: N accesses in C cycles,
// more than one per cycle" when a port would have a negative idle count, or for a
// negative or non-finite count or a clock_ns <= 0.
SramEnergy sram_energy(const SramMacro& m, const SramActivity& a, double clock_ns);

// Every figure of one macro.
struct SramFigures {
  double read_pj = 0, read_port1_pj = 0, write_pj = 0;
  double idle_pj_per_cycle = 0, idle_port1_pj_per_cycle = 0; // per port, as above
  double leakage_uw = 0, area_um2 = 0;
  std::string extrapolation; // sram_extrapolation()
};
// The port-1 figures are 0 for a 1rw macro (it has no port 1).
SramFigures sram_figures(const SramMacro& m);

} // namespace tpe
