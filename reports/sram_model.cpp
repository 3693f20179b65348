// The analytic SRAM macro model (sram_model.h, docs/sram-model.md): piecewise-linear
// interpolation in log space over two measured data sets, each constant below with its
// source. Nothing here is fitted by a script: the model reproduces its data points
// exactly (tests/test_sram_model.cpp checks every one), and its error between points is
// the leave-one-out figure that test prints.
//
// 130 nm: OpenRAM sky130 macros, VLSIDA/sky130_sram_macros (HEAD 965df15; the project's
// LUT_PIM.md section 4.1 tabulates them rounded): energies are the Liberty internal_power
// of the clock pin, rise + fall (pJ per access), of the 2023 re-characterized dual-port
// libraries (1 KB 256 x 32: commit 261a97b; 2 KB 512 x 32: 0178860; 4 KB 1024 x 32:
// 6625c40), copied from those files.
// Excluded: the 8 KB 2048 x 32 dual-port library (OpenRAM's analytical model only:
// 84.6 pJ per read, 12x the 4 KB macro) and every single-port library (the 1 KB and
// 2 KB ones carry identical micro-scale power tables and a malformed number; the others
// are analytical). Areas are the LEF SIZE (the .lib area field is inconsistent across
// commits), which is physical for every macro, so the 2048 x 32 dual-port and the
// single-port areas are used.
// 22..90 nm: CACTI 7 (HewlettPackard/cacti @1ffd8df) run as documented in
// third_party/cacti7/README.md; the rows below are third_party/cacti7/cacti7_sram_grid.csv
// verbatim (the test compares them with the file).
#include "reports/sram_model.h"
#include <algorithm>
#include <array>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <utility>
#include <vector>

namespace tpe {

namespace {

// ---- 130 nm: OpenRAM sky130 ----------------------------------------------------
constexpr int kSkyWidth = 32; // the word width of every characterized macro
constexpr double kSkyVolts = 1.8;
// dual-port (1rw1r) energies at 256, 512, 1024 words x 32 bits: the clock pin's
// internal_power rise + fall (pJ) of the TT 1.8 V 25 C libraries, per `when` state:
// port 0 read "!csb0 & web0", write "!csb0 & !web0", deselected "csb0 & web0"; port 1
// read "!csb1", deselected "csb1" (verified against the libraries at the commits above)
constexpr std::array<double, 3> kSkyWords = {256, 512, 1024};
constexpr std::array<double, 3> kSkyRead0 = {2.391613 + 2.208443, 2.707046 + 2.420102,
                                             3.663975 + 3.421873};
constexpr std::array<double, 3> kSkyWrite = {2.226912 + 2.371604, 2.553973 + 2.793470,
                                             3.431848 + 3.717897};
constexpr std::array<double, 3> kSkyRead1 = {2.843456 + 2.581878, 2.868735 + 2.519171,
                                             5.820735 + 5.721915};
constexpr std::array<double, 3> kSkyIdle0 = {1.034863 + 1.048424, 1.146529 + 1.169166,
                                             1.055732 + 1.077138};
constexpr std::array<double, 3> kSkyIdle1 = {1.071456 + 1.008020, 1.194367 + 1.145629,
                                             1.101407 + 1.078175};
// cell_leakage_power (mW in the libraries), uW
constexpr std::array<double, 3> kSkyLeakUw = {0.9117994, 1.379771, 2.411139};
// areas: LEF SIZE width x height, um (1 KB dual-port: the repository's HEAD LEF, fixed in
// 2024; 4 KB and 8 KB dual-port: commit 261a97b; single-port: 6625c40)
constexpr std::array<double, 4> kSkyDualWords = {256, 512, 1024, 2048};
constexpr std::array<double, 4> kSkyDualArea = {479.78 * 397.50, 683.10 * 416.54, 693.98 * 668.82,
                                                1093.82 * 720.50};
constexpr std::array<double, 3> kSkySingleArea = {478.42 * 223.42, 483.86 * 326.10,
                                                  806.86 * 351.26}; // at kSkyWords
constexpr double kSkyMinWords = 16, kSkyMaxWords = 16384;

// ---- 22..90 nm: CACTI 7 grid ------------------------------------------------------
struct CactiRow {
  double node_nm, bytes, width, read_pj, write_pj, leak_mw, area_mm2;
};
// third_party/cacti7/cacti7_sram_grid.csv without its access_ns and cycle_ns columns
constexpr std::array<CactiRow, 60> kCacti = {{
    {90, 1024, 64, 4.51835, 9.46644, 0.146893, 0.0144083},
    {90, 1024, 256, 22.6383, 26.8594, 0.170982, 0.0422319},
    {90, 8192, 64, 15.8988, 21.1402, 1.20216, 0.105239},
    {90, 8192, 256, 28.4634, 69.0175, 1.2123, 0.123305},
    {90, 32768, 64, 43.3143, 41.2277, 4.50859, 0.379718},
    {90, 32768, 256, 65.8775, 135.037, 4.52054, 0.413836},
    {90, 262144, 64, 123.49, 95.5679, 32.6634, 3.18537},
    {90, 262144, 256, 266.628, 354.67, 32.584, 3.50695},
    {90, 1048576, 64, 259.628, 179.563, 123.622, 12.1649},
    {90, 1048576, 256, 612.871, 598.136, 123.546, 13.278},
    {65, 1024, 64, 2.38545, 5.15798, 0.594022, 0.00751703},
    {65, 1024, 256, 12.1884, 14.5788, 0.697052, 0.0220548},
    {65, 8192, 64, 8.81277, 11.4646, 4.88896, 0.054927},
    {65, 8192, 256, 15.7668, 38.4567, 4.9322, 0.0643691},
    {65, 32768, 64, 24.9081, 22.4219, 18.0274, 0.198064},
    {65, 32768, 256, 37.5185, 75.4315, 18.0809, 0.215894},
    {65, 262144, 64, 70.7698, 52.3308, 130.666, 1.66156},
    {65, 262144, 256, 170.358, 160.413, 124.142, 1.79421},
    {65, 1048576, 64, 125.412, 99.1425, 496.425, 6.80956},
    {65, 1048576, 256, 353.328, 334.498, 494.59, 6.9266},
    {45, 1024, 64, 1.43371, 2.90624, 0.526998, 0.00360096},
    {45, 1024, 256, 6.91732, 8.15109, 0.615053, 0.0105407},
    {45, 8192, 64, 5.28833, 6.50229, 4.30737, 0.0262912},
    {45, 8192, 256, 9.0578, 21.1564, 4.34558, 0.0307951},
    {45, 32768, 64, 14.9248, 12.6898, 16.1704, 0.0949153},
    {45, 32768, 256, 21.6778, 41.414, 16.2172, 0.103421},
    {45, 262144, 64, 40.6252, 28.8314, 117.478, 0.796255},
    {45, 262144, 256, 86.7138, 107.534, 117.207, 0.876576},
    {45, 1048576, 64, 67.6875, 55.8938, 469.914, 3.16952},
    {45, 1048576, 256, 179.969, 171.029, 446.408, 3.67521},
    {32, 1024, 64, 0.746942, 1.53616, 0.18492, 0.00182242},
    {32, 1024, 256, 3.67222, 4.33746, 0.217301, 0.00535436},
    {32, 8192, 64, 2.90825, 3.43055, 1.51899, 0.0133141},
    {32, 8192, 256, 4.96566, 11.4447, 1.53296, 0.0156094},
    {32, 32768, 64, 8.50977, 6.71577, 5.63159, 0.0480087},
    {32, 32768, 256, 12.2378, 22.4613, 5.64922, 0.0523435},
    {32, 262144, 64, 19.0932, 15.2256, 41.0907, 0.441277},
    {32, 262144, 256, 47.5926, 52.0163, 40.9182, 0.518719},
    {32, 1048576, 64, 38.3567, 30.7628, 163.276, 1.60312},
    {32, 1048576, 256, 101.767, 94.5913, 155.155, 1.86005},
    {22, 1024, 64, 0.354357, 0.757443, 0.0906736, 0.000861738},
    {22, 1024, 256, 1.83438, 2.1806, 0.112247, 0.00254289},
    {22, 8192, 64, 1.50402, 1.68587, 0.751178, 0.00627193},
    {22, 8192, 256, 2.58545, 5.88596, 0.761218, 0.00737523},
    {22, 32768, 64, 3.49505, 2.81918, 2.71486, 0.0267202},
    {22, 32768, 256, 6.61704, 11.5921, 2.70832, 0.0247351},
    {22, 262144, 64, 9.93381, 7.54251, 19.8574, 0.208251},
    {22, 262144, 256, 25.3885, 26.9599, 19.8243, 0.24527},
    {22, 1048576, 64, 18.4356, 15.9466, 79.216, 0.810099},
    {22, 1048576, 256, 54.6349, 49.3991, 75.6258, 0.879704},
    {28, 1024, 64, 0.571056, 1.18721, 0.142331, 0.00139394},
    {28, 1024, 256, 2.92629, 3.45017, 0.169891, 0.00409521},
    {28, 8192, 64, 2.29709, 2.65744, 1.17268, 0.0101728},
    {28, 8192, 256, 3.9884, 9.04064, 1.18535, 0.0119316},
    {28, 32768, 64, 5.38005, 4.53678, 4.32834, 0.0433355},
    {28, 32768, 256, 9.92862, 17.7696, 4.31155, 0.0400426},
    {28, 262144, 64, 15.6186, 12.3681, 31.4612, 0.337691},
    {28, 262144, 256, 39.5364, 42.6043, 31.3596, 0.396978},
    {28, 1048576, 64, 31.735, 25.3424, 124.997, 1.22693},
    {28, 1048576, 256, 84.6319, 78.1536, 119.196, 1.42375},
}};
constexpr std::array<double, 6> kCactiNodes = {22, 28, 32, 45, 65, 90};
// itrs-hp Vdd of CACTI 7's tech_params/<node>nm.dat (28 nm: its linear interpolation)
constexpr std::array<double, 6> kCactiVolts = {0.8, 0.86, 0.9, 1.0, 1.1, 1.2};
constexpr std::array<double, 5> kCactiBytes = {1024, 8192, 32768, 262144, 1048576};
constexpr std::array<double, 2> kCactiWidths = {64, 256};
constexpr double kCactiMinBytes = 64, kCactiMaxBytes = 16.0 * 1048576;
constexpr double kCactiMinWidth = 16, kMaxWidth = 1024;

enum class Fig { kRead, kWrite, kLeak, kArea };

// Piecewise-linear interpolation of log(y) in log(x) over ascending knots xs, the end
// segments extended beyond them. All values positive.
template <size_t N>
double loglog(const std::array<double, N>& xs, const std::array<double, N>& ys, double x) {
  static_assert(N >= 2, "two knots at least");
  size_t i = 1;
  while (i + 1 < N && x > xs[i])
    ++i;
  const double t = std::log(x / xs[i - 1]) / std::log(xs[i] / xs[i - 1]);
  return std::exp(std::log(ys[i - 1]) + t * std::log(ys[i] / ys[i - 1]));
}

template <size_t N> double mean(const std::array<double, N>& v) {
  double s = 0;
  for (double x : v)
    s += x;
  return s / static_cast<double>(N);
}

// sky130's dual-port / single-port area ratio (mean over 256, 512, 1024 words: 1.74)
// and its clocked-idle / port-0 read ratio (mean of the three macros: 0.40)
double sky_dual_area_ratio() {
  std::array<double, 3> r{};
  for (size_t i = 0; i < r.size(); ++i)
    r[i] = kSkyDualArea[i] / kSkySingleArea[i];
  return mean(r);
}
double sky_idle_to_read() {
  std::array<double, 3> r{};
  for (size_t i = 0; i < r.size(); ++i)
    r[i] = kSkyIdle0[i] / kSkyRead0[i];
  return mean(r);
}

bool is_sky(double node_nm) {
  return node_nm == 130;
}

[[noreturn]] void refuse(const std::string& param, const std::string& problem) {
  throw std::invalid_argument("sram " + param + ": " + problem);
}

std::string num(double v) {
  std::ostringstream o;
  o << v;
  return o.str();
}

void check_node(double node_nm) {
  if (!std::isfinite(node_nm) || !(is_sky(node_nm) || (node_nm >= 22 && node_nm <= 90)))
    refuse("node_nm",
           num(node_nm) + " is outside the data: 22..90 nm (CACTI 7) or 130 nm (OpenRAM sky130)");
}

// The validated macro's capacity in bytes.
double check(const SramMacro& m) {
  check_node(m.node_nm);
  if (m.words < 1) refuse("words", num(static_cast<double>(m.words)) + ": must be at least 1");
  if (m.width_bits < 1) refuse("width_bits", num(m.width_bits) + ": must be at least 1");
  const double words = static_cast<double>(m.words);
  const double bytes = words * m.width_bits / 8;
  if (is_sky(m.node_nm)) {
    if (words < kSkyMinWords || words > kSkyMaxWords)
      refuse("words", num(words) + " is outside 16..16384, the 130 nm model's domain (16x "
                                   "beyond the 256..1024-word sky130 macros)");
    if (m.width_bits > kMaxWidth)
      refuse("width_bits", num(m.width_bits) + " is above 1024 (32 sky130 macros side by side)");
  } else {
    if (m.width_bits < kCactiMinWidth || m.width_bits > kMaxWidth)
      refuse("width_bits", num(m.width_bits) + " is outside 16..1024, the 22..90 nm model's "
                                               "domain (4x beyond the CACTI grid's 64..256)");
    if (bytes < kCactiMinBytes || bytes > kCactiMaxBytes)
      refuse("words", num(words) + " x " + num(m.width_bits) + " bits = " + num(bytes) +
                          " bytes is outside 64 B..16 MiB, the 22..90 nm model's domain "
                          "(16x beyond the CACTI grid's 1 KB..1 MB)");
  }
  const double vnom = sram_nominal_volts(m.node_nm);
  if (m.volts != 0 && (!std::isfinite(m.volts) || m.volts < 0.5 * vnom || m.volts > 1.5 * vnom))
    refuse("volts", num(m.volts) + " is outside 0.5..1.5 x the node's nominal " + num(vnom) +
                        " V (0 = nominal)");
  return bytes;
}

void check_port(const SramMacro& m, int port) {
  if (port != 0 && port != 1) refuse("port", num(port) + ": must be 0 (rw) or 1 (r)");
  if (port == 1 && m.ports != SramPorts::k1rw1r)
    refuse("port", "1 (read-only) needs a 1rw1r macro, this one is 1rw");
}

double volts_ratio(const SramMacro& m) {
  return m.volts == 0 ? 1.0 : m.volts / sram_nominal_volts(m.node_nm);
}

// One figure at one CACTI grid node (index into kCactiNodes), 1rw.
double cacti_at_node(size_t node, Fig f, double bytes, double width) {
  std::array<double, 2> at_width{};
  for (size_t w = 0; w < kCactiWidths.size(); ++w) {
    std::array<double, 5> ys{};
    for (size_t c = 0; c < kCactiBytes.size(); ++c) {
      const CactiRow* row = nullptr;
      for (const CactiRow& r : kCacti)
        if (r.node_nm == kCactiNodes[node] && r.bytes == kCactiBytes[c] &&
            r.width == kCactiWidths[w])
          row = &r;
      if (!row) throw std::logic_error("sram: CACTI grid row missing");
      ys[c] = f == Fig::kRead    ? row->read_pj
              : f == Fig::kWrite ? row->write_pj
              : f == Fig::kLeak  ? row->leak_mw * 1000 // uW
                                 : row->area_mm2 * 1e6; // um^2
    }
    at_width[w] = loglog(kCactiBytes, ys, bytes);
  }
  return loglog(kCactiWidths, at_width, width);
}

// One figure at 22..90 nm, 1rw, nominal supply. A word wider than the grid's widest
// (256) is n = ceil(width / 256) macros of width / n bits side by side: extending the
// 64 -> 256 slope instead makes wide words cheaper per access as words grow (the slope
// is 1.16 at 1 KB, 0.42 at 8 KB at 90 nm).
double cacti(Fig f, double node_nm, double bytes, double width) {
  const double macros = std::ceil(width / kCactiWidths.back());
  if (macros > 1) return macros * cacti(f, node_nm, bytes / macros, width / macros);
  size_t hi = 1;
  while (hi + 1 < kCactiNodes.size() && node_nm > kCactiNodes[hi])
    ++hi;
  const std::array<double, 2> nodes = {kCactiNodes[hi - 1], kCactiNodes[hi]};
  if (node_nm == nodes[0]) return cacti_at_node(hi - 1, f, bytes, width);
  if (node_nm == nodes[1]) return cacti_at_node(hi, f, bytes, width);
  const std::array<double, 2> ys = {cacti_at_node(hi - 1, f, bytes, width),
                                    cacti_at_node(hi, f, bytes, width)};
  return loglog(nodes, ys, node_nm);
}

// sky130 macros for a word of width_bits: ceil(width / 32) side by side
double sky_macros(const SramMacro& m) {
  return static_cast<double>((m.width_bits + kSkyWidth - 1) / kSkyWidth);
}

// A dynamic-energy figure (read port 0 or 1, write) at nominal supply.
double energy_nominal(const SramMacro& m, Fig f, int port) {
  const double bytes = check(m);
  const double words = static_cast<double>(m.words);
  if (is_sky(m.node_nm)) {
    const auto& table = f == Fig::kWrite ? kSkyWrite : port == 1 ? kSkyRead1 : kSkyRead0;
    return sky_macros(m) * loglog(kSkyWords, table, words);
  }
  return cacti(f, m.node_nm, bytes, m.width_bits);
}

} // namespace

SramPorts parse_sram_ports(const std::string& s) {
  if (s == "1rw") return SramPorts::k1rw;
  if (s == "1rw1r") return SramPorts::k1rw1r;
  refuse("ports", "'" + s + "' is neither 1rw nor 1rw1r");
}

const char* sram_ports_name(SramPorts p) {
  return p == SramPorts::k1rw ? "1rw" : "1rw1r";
}

double sram_nominal_volts(double node_nm) {
  check_node(node_nm);
  if (is_sky(node_nm)) return kSkyVolts;
  return loglog(kCactiNodes, kCactiVolts, node_nm);
}

double sram_read_pj(const SramMacro& m, int port) {
  check_port(m, port);
  const double v = volts_ratio(m);
  return energy_nominal(m, Fig::kRead, port) * v * v;
}

double sram_write_pj(const SramMacro& m) {
  const double v = volts_ratio(m);
  return energy_nominal(m, Fig::kWrite, 0) * v * v;
}

double sram_idle_pj_per_cycle(const SramMacro& m, int port) {
  check_port(m, port);
  check(m);
  const double v = volts_ratio(m);
  if (is_sky(m.node_nm)) return sky_macros(m) * mean(port == 1 ? kSkyIdle1 : kSkyIdle0) * v * v;
  return sky_idle_to_read() * sram_read_pj(m, 0);
}

double sram_leakage_uw(const SramMacro& m) {
  const double bytes = check(m);
  const double leak = is_sky(m.node_nm) ? sky_macros(m) * loglog(kSkyWords, kSkyLeakUw,
                                                                 static_cast<double>(m.words))
                                        : cacti(Fig::kLeak, m.node_nm, bytes, m.width_bits);
  return leak * volts_ratio(m);
}

double sram_area_um2(const SramMacro& m) {
  const double bytes = check(m);
  const double words = static_cast<double>(m.words);
  if (is_sky(m.node_nm))
    return sky_macros(m) * (m.ports == SramPorts::k1rw1r
                                ? loglog(kSkyDualWords, kSkyDualArea, words)
                                : loglog(kSkyWords, kSkySingleArea, words));
  const double a = cacti(Fig::kArea, m.node_nm, bytes, m.width_bits);
  return m.ports == SramPorts::k1rw1r ? a * sky_dual_area_ratio() : a;
}

std::string sram_extrapolation(const SramMacro& m) {
  const double bytes = check(m);
  const double words = static_cast<double>(m.words);
  std::vector<std::string> why;
  if (is_sky(m.node_nm)) {
    if (words < kSkyWords.front() || words > kSkyWords.back())
      why.push_back("words " + num(words) +
                    " outside the sky130 macros' 256..1024 (end-segment "
                    "extrapolation)");
    if (m.width_bits != kSkyWidth)
      why.push_back("width " + num(m.width_bits) + " at 130 nm: " + num(sky_macros(m)) +
                    " 32-bit macros side by side (an upper bound)");
    if (m.ports == SramPorts::k1rw)
      why.push_back("1rw at 130 nm: energies of the dual-port macros' port 0 (the single-port "
                    "libraries are unreliable)");
  } else {
    if (bytes < kCactiBytes.front() || bytes > kCactiBytes.back())
      why.push_back("capacity " + num(bytes) +
                    " B outside the CACTI grid's 1 KB..1 MB "
                    "(end-segment extrapolation)");
    if (m.width_bits < kCactiWidths.front())
      why.push_back("width " + num(m.width_bits) +
                    " below the CACTI grid's 64..256 (end-segment extrapolation)");
    const double macros = std::ceil(m.width_bits / kCactiWidths.back());
    if (macros > 1)
      why.push_back("width " + num(m.width_bits) +
                    " above the CACTI grid's 64..256: " + num(macros) + " macros of " +
                    num(m.width_bits / macros) + " bits side by side");
    if (m.ports == SramPorts::k1rw1r)
      why.push_back("1rw1r at " + num(m.node_nm) + " nm: CACTI grid is single-port (area x " +
                    num(sky_dual_area_ratio()) + ", sky130's dual/single ratio)");
  }
  std::string s;
  for (const std::string& w : why)
    s += (s.empty() ? "" : "; ") + w;
  return s;
}

SramEnergy sram_energy(const SramMacro& m, const SramActivity& a, double clock_ns) {
  for (const auto& [what, v] : {std::pair<const char*, double>{"reads", a.reads},
                                {"writes", a.writes},
                                {"cycles", a.cycles},
                                {"clock_ns", clock_ns}})
    if (!std::isfinite(v) || v < 0 || (v == 0 && what == std::string("clock_ns")))
      refuse(what, num(v) + ": must be a finite count (clock_ns: above 0)");
  const bool two = m.ports == SramPorts::k1rw1r;
  // accesses on port 0 and port 1
  const double on0 = two ? a.writes : a.reads + a.writes, on1 = two ? a.reads : 0;
  for (const auto& [port, n] : {std::pair<int, double>{0, on0}, {1, on1}})
    if (n > a.cycles)
      refuse("port " + num(port),
             num(n) + " accesses in " + num(a.cycles) + " cycles, more than one per cycle");
  SramEnergy e;
  e.read_pj = a.reads * sram_read_pj(m, two ? 1 : 0);
  e.write_pj = a.writes * sram_write_pj(m);
  e.idle_pj = (a.cycles - on0) * sram_idle_pj_per_cycle(m, 0) +
              (two ? (a.cycles - on1) * sram_idle_pj_per_cycle(m, 1) : 0);
  e.leakage_pj = sram_leakage_uw(m) * a.cycles * clock_ns * 1e-3;
  return e;
}

SramFigures sram_figures(const SramMacro& m) {
  SramFigures f;
  f.read_pj = sram_read_pj(m, 0);
  const bool two = m.ports == SramPorts::k1rw1r;
  f.read_port1_pj = two ? sram_read_pj(m, 1) : 0;
  f.write_pj = sram_write_pj(m);
  f.idle_pj_per_cycle = sram_idle_pj_per_cycle(m, 0);
  f.idle_port1_pj_per_cycle = two ? sram_idle_pj_per_cycle(m, 1) : 0;
  f.leakage_uw = sram_leakage_uw(m);
  f.area_um2 = sram_area_um2(m);
  f.extrapolation = sram_extrapolation(m);
  return f;
}

} // namespace tpe
