// Report writers. Utilization is useful MACs / (cycles x PEs); SCALE-Sim's
// mapping efficiency is useful MACs / MACs the PEs performed (padding of partial
// tiles wasted); with ideal memory there are no stall cycles.
#include "reports/sim_report.h"
#include "core/error.h"
#include "core/text.h"
#include <algorithm>
#include <fmt/format.h>
#include <stdexcept>

namespace tpe {

namespace {
// a + b for a sum over the workload's layers (InputError naming the workload if
// it exceeds 2^127 - 1)
Count sum_add(const SimReport& r, Count a, Count b, const char* what) {
  try {
    return count_add(a, b, what);
  } catch (const CountOverflow& e) {
    throw InputError(r.workload, 0, "", std::string(e.what()) + " (more than 2^127 - 1)");
  }
}
} // namespace

Count SimReport::total_cycles() const {
  Count c = 0;
  for (auto& l : layers)
    c = sum_add(*this, c, l.cycles, "total cycles");
  return c;
}
Count SimReport::total_macs() const {
  Count c = 0;
  for (auto& l : layers)
    c = sum_add(*this, c, l.macs, "total MACs");
  return c;
}

namespace {
double total_util(const SimReport& r) {
  return utilization(r.arch, r.total_macs(), r.total_cycles());
}
// sums of the EN-T digit counters (Values mode, small layers)
void ent_totals(const SimReport& r, Count& ops, Count& digits) {
  ops = digits = 0;
  for (const auto& l : r.layers) {
    ops = sum_add(r, ops, l.ent_operands, "encoded operands");
    digits = sum_add(r, digits, l.ent_nonzero_digits, "nonzero digits");
  }
}
// the layers of an engine with SRAM-PIM arrays carry their row counts (else -1)
bool pim_arrays(const SimReport& r) {
  return !r.layers.empty() && r.layers.front().lut_row_reads >= 0;
}
// lut_gemv: the SRAM arrays' energy of every layer, or the one-line reason it cannot be
// given (an array beyond the SRAM model's domain)
struct LutSram {
  std::vector<LutSramEnergy> layers;
  SramEnergy total;
  int64_t arrays_used = 0; // the most over the layers
  std::string refusal;
};
LutSram lut_sram(const SimReport& r) {
  LutSram s;
  if (!pim_arrays(r)) return s;
  try {
    for (const auto& l : r.layers) {
      // at the calibration's clock when there is one (its leakage), else the design's
      s.layers.push_back(
          lut_gemv_sram_energy(r.arch, l, r.has_energy ? r.calibration.clock_ns : 0));
      s.total += s.layers.back().energy;
      s.arrays_used = std::max(s.arrays_used, s.layers.back().arrays_used);
    }
  } catch (const std::invalid_argument& e) {
    s.layers.clear();
    s.refusal = e.what();
  }
  return s;
}

nlohmann::json macro_json(const SramMacro& m) {
  const SramFigures f = sram_figures(m);
  return {{"words", m.words},
          {"width_bits", m.width_bits},
          {"ports", sram_ports_name(m.ports)},
          {"node_nm", m.node_nm},
          {"volts", m.volts == 0 ? sram_nominal_volts(m.node_nm) : m.volts},
          {"read_pj", f.read_pj},
          {"read_port1_pj", f.read_port1_pj},
          {"write_pj", f.write_pj},
          {"idle_pj_per_cycle", f.idle_pj_per_cycle},
          {"idle_port1_pj_per_cycle", f.idle_port1_pj_per_cycle},
          {"leakage_uw", f.leakage_uw},
          {"area_um2", f.area_um2},
          {"extrapolation", f.extrapolation}};
}

nlohmann::json sram_energy_json(const SramEnergy& e) {
  return {{"reads", e.read_pj},
          {"writes", e.write_pj},
          {"clocked_idle", e.idle_pj},
          {"leakage", e.leakage_pj},
          {"total", e.total()}};
}
} // namespace

// memory.model dram: per layer the stall, its causes, the DRAM traffic and the tiles
// (sim/memory_model.h); nothing on ideal memory.
std::string memory_table(const SimReport& r) {
  if (r.layers.empty() || !r.layers.front().memory.modeled) return "";
  const DramTiming d = dram_timing(r.arch);
  std::string s = fmt::format(
      "memory: dram {} ({:.3f} bytes/cycle, latency {} cycles, {}-byte bursts), {} buffers "
      "(ifmap {} KiB, filter {} KiB, ofmap {} KiB)\n",
      d.name, d.bytes_per_cycle, d.latency_cycles, d.burst_bytes,
      r.arch.memory.double_buffer ? "double-buffered" : "single-buffered",
      r.arch.memory.ifmap_sram_kb, r.arch.memory.filter_sram_kb, r.arch.memory.ofmap_sram_kb);
  s +=
      fmt::format("{:<24} {:>14} {:>12} {:>6} {:>27} {:>12} {:>12} {:>12} {:>20} {:>14}\n", "layer",
                  "compute", "stall", "stall%", "stall by ifmap/filter/ofmap/lat%", "DRAM A MB",
                  "DRAM B MB", "DRAM C MB", "tile MtxNtxKt order", "occupancy A/B/C%");
  Count comp = 0, stall = 0, ba = 0, bb = 0, bc = 0, sa = 0, sb = 0, sc = 0, sl = 0;
  const auto pct = [](Count x, Count of) {
    return of > 0 ? 100 * count_double(x) / count_double(of) : 0.0;
  };
  for (const auto& l : r.layers) {
    const MemoryStats& m = l.memory;
    s += fmt::format(
        "{:<24} {:>14} {:>12} {:>6.1f} {:>27} {:>12.3f} {:>12.3f} {:>12.3f} {:>20} "
        "{:>14}\n",
        utf8_prefix(l.name, 24), m.compute_cycles, m.stall_cycles, pct(m.stall_cycles, l.cycles),
        fmt::format("{:.0f}/{:.0f}/{:.0f}/{:.0f}", pct(m.stall_ifmap, m.stall_cycles),
                    pct(m.stall_filter, m.stall_cycles), pct(m.stall_ofmap, m.stall_cycles),
                    pct(m.stall_latency, m.stall_cycles)),
        count_double(m.dram_ifmap_bytes) * 1e-6, count_double(m.dram_filter_bytes) * 1e-6,
        count_double(m.dram_ofmap_bytes) * 1e-6,
        fmt::format("{}x{}x{} {}", m.tile_m, m.tile_n, m.tile_k, m.order),
        fmt::format("{:.0f}/{:.0f}/{:.0f}", 100 * m.ifmap_occupancy, 100 * m.filter_occupancy,
                    100 * m.ofmap_occupancy));
    comp = sum_add(r, comp, m.compute_cycles, "total compute cycles");
    stall = sum_add(r, stall, m.stall_cycles, "total stall cycles");
    sa = sum_add(r, sa, m.stall_ifmap, "total stall cycles");
    sb = sum_add(r, sb, m.stall_filter, "total stall cycles");
    sc = sum_add(r, sc, m.stall_ofmap, "total stall cycles");
    sl = sum_add(r, sl, m.stall_latency, "total stall cycles");
    ba = sum_add(r, ba, m.dram_ifmap_bytes, "total DRAM bytes");
    bb = sum_add(r, bb, m.dram_filter_bytes, "total DRAM bytes");
    bc = sum_add(r, bc, m.dram_ofmap_bytes, "total DRAM bytes");
  }
  s += fmt::format("{:<24} {:>14} {:>12} {:>6.1f} {:>27} {:>12.3f} {:>12.3f} {:>12.3f}\n", "TOTAL",
                   comp, stall, pct(stall, r.total_cycles()),
                   fmt::format("{:.0f}/{:.0f}/{:.0f}/{:.0f}", pct(sa, stall), pct(sb, stall),
                               pct(sc, stall), pct(sl, stall)),
                   count_double(ba) * 1e-6, count_double(bb) * 1e-6, count_double(bc) * 1e-6);
  return s;
}

std::string sim_table(const SimReport& r) {
  const ArchConfig& a = r.arch;
  const std::string ops = a.act() == a.weight() ? a.act() : a.act() + " x " + a.weight();
  const std::string acc =
      a.accumulate == "int" ? std::to_string(a.acc_bits) + "-bit acc" : a.accumulate + " acc";
  std::string s = fmt::format("{} ({} {} {}, {} {}) on {}\n", a.name, a.shape(), a.engine,
                              a.dataflow, ops, acc, printable(r.workload));
  s += fmt::format("{:<24} {:>8} {:>8} {:>8} {:>14} {:>16} {:>7} {:>9}\n", "layer", "M", "N", "K",
                   "cycles", "MACs", "util%", "mode");
  for (auto& l : r.layers)
    s += fmt::format("{:<24} {:>8} {:>8} {:>8} {:>14} {:>16} {:>7.2f} {:>9}\n",
                     utf8_prefix(l.name, 24), l.M, l.N, l.K, l.cycles, l.macs, 100 * l.utilization,
                     sim_mode_name(l.mode));
  const double us = count_double(r.total_cycles()) / r.arch.clock_mhz;
  s += fmt::format("{:<24} {:>8} {:>8} {:>8} {:>14} {:>16} {:>7.2f}\n", "TOTAL", "", "", "",
                   r.total_cycles(), r.total_macs(), 100 * total_util(r));
  Count ent_ops, ent_digits;
  ent_totals(r, ent_ops, ent_digits);
  if (ent_ops) {
    const char* what = r.arch.pe == "bitserial"   ? "bit-serial: {:.4f} set bits"
                       : r.arch.pe == "pragmatic" ? "Pragmatic: {:.4f} nonzero magnitude bits"
                                                  : "EN-T: {:.4f} nonzero digits";
    s += fmt::format(
        fmt::runtime(std::string(what) + " per encoded operand over {} operands ({})\n"),
        count_double(ent_digits) / count_double(ent_ops), ent_ops, r.operands);
  }
  Count plain = 0, skip = 0, share = 0;
  for (const auto& l : r.layers)
    if (l.lut_cycles_plain > 0) {
      plain += l.lut_cycles_plain;
      skip += l.lut_cycles_skip;
      share += l.lut_cycles_share;
    }
  if (plain > 0) // lut_gemv: the cycle saving of each option alone, over the workload
    s += fmt::format("lut_gemv savings (each alone, vs {} cycles without): skip_zero_index "
                     "{:.2f}%, batch_shared_lookup {:.2f}%\n",
                     plain, 100 * (1 - count_double(skip) / count_double(plain)),
                     100 * (1 - count_double(share) / count_double(plain)));
  s += memory_table(r);
  s += fmt::format("time at {} MHz: {:.3f} ms\n", r.arch.clock_mhz, us / 1000);
  if (r.has_energy) {
    LayerEnergy t;
    for (const auto& e : r.energy) {
      t.array_pj += e.array_pj;
      t.ifmap_sram_pj += e.ifmap_sram_pj;
      t.filter_sram_pj += e.filter_sram_pj;
      t.ofmap_sram_pj += e.ofmap_sram_pj;
      t.dram_pj += e.dram_pj;
      t.arrays_pj += e.arrays_pj;
    }
    if (pim_arrays(r)) {
      s += fmt::format("energy: {:.3f} uJ ({:.3f} pJ/MAC): periphery {:.3f} uJ, SRAM arrays {:.3f} "
                       "uJ, DRAM {:.3f} uJ ({}, {} operands; the operand ports have no buffers)\n",
                       t.total() * 1e-6, t.total() / count_double(r.total_macs()),
                       t.array_pj * 1e-6, t.arrays_pj * 1e-6, t.dram_pj * 1e-6,
                       r.calibration.library, r.calibration.operands);
    } else {
      s += fmt::format(
          "energy: {:.3f} uJ ({:.3f} pJ/MAC): array {:.3f} uJ, SRAM ifmap {:.3f} / filter {:.3f} "
          "/ ofmap {:.3f} uJ, DRAM {:.3f} uJ ({}, {} operands)\n",
          t.total() * 1e-6, t.total() / count_double(r.total_macs()), t.array_pj * 1e-6,
          t.ifmap_sram_pj * 1e-6, t.filter_sram_pj * 1e-6, t.ofmap_sram_pj * 1e-6, t.dram_pj * 1e-6,
          r.calibration.library, r.calibration.operands);
      const OperandSrams m =
          operand_srams(r.arch, r.calibration.node_nm, r.calibration.volts, "the calibration");
      const auto shape = [](const OperandSram& b) {
        return fmt::format("{}{} x {} bits", b.macros > 1 ? std::to_string(b.macros) + " x " : "",
                           b.macro.words, b.macro.width_bits);
      };
      s += fmt::format("SRAM model (docs/sram-model.md): 1rw1r macros at {} nm, {} V: ifmap {}, "
                       "filter {}, ofmap {}{}\n",
                       r.calibration.node_nm, r.calibration.volts, shape(m.ifmap), shape(m.filter),
                       shape(m.ofmap),
                       m.extrapolation.empty() ? "" : "; beyond its data: " + m.extrapolation);
    }
  }
  const LutSram ls = lut_sram(r);
  if (!ls.refusal.empty())
    s += "SRAM arrays energy: not reported: " + ls.refusal + "\n";
  else if (!ls.layers.empty()) {
    const LutSramEnergy& f = ls.layers.front();
    s += fmt::format(
        "SRAM arrays energy{}: {:.3f} uJ ({:.3f} pJ/MAC): "
        "row reads {:.3f}, row writes {:.3f}, clocked idle {:.3f}, leakage {:.3f} uJ; SRAM "
        "area {:.3f} mm^2 ({} arrays of {} x {} bits, {}, up to {} in use; SRAM model "
        "(docs/sram-model.md) at 130 nm, 1.8 V{})\n",
        r.has_energy
            ? ""
            : " (the periphery is not included: --energy with a `tpe calibrate` file adds it)",
        ls.total.total() * 1e-6, ls.total.total() / count_double(r.total_macs()),
        ls.total.read_pj * 1e-6, ls.total.write_pj * 1e-6, ls.total.idle_pj * 1e-6,
        ls.total.leakage_pj * 1e-6, f.area_um2 * 1e-6, f.arrays, f.macro.words, f.macro.width_bits,
        sram_ports_name(f.macro.ports), ls.arrays_used,
        f.extrapolation.empty() ? "" : "; beyond its data: " + f.extrapolation);
  }
  return s;
}

std::string sim_csv(const SimReport& r) {
  // memory.model dram adds the memory model's columns (sim/memory_model.h)
  const bool mem = !r.layers.empty() && r.layers.front().memory.modeled;
  std::string s =
      "layer,M,N,K,cycles,macs,utilization,mapping_efficiency,folds,ifmap_reads,filter_reads,"
      "ofmap_reads,ofmap_writes,mode" +
      std::string(mem ? ",compute_cycles,stall_cycles,stall_ifmap,stall_filter,stall_ofmap,"
                        "stall_latency,dram_ifmap_bytes,dram_filter_bytes,dram_ofmap_bytes"
                      : "") +
      "\n";
  Count ir = 0, fr = 0, orr = 0, ow = 0;
  std::vector<Count> mt(9, 0); // memory column totals
  for (auto& l : r.layers) {
    s += fmt::format("{},{},{},{},{},{},{:.6f},{:.6f},{},{},{},{},{},{}", l.name, l.M, l.N, l.K,
                     l.cycles, l.macs, l.utilization, l.mapping_efficiency, l.folds, l.ifmap_reads,
                     l.filter_reads, l.ofmap_reads, l.ofmap_writes, sim_mode_name(l.mode));
    const MemoryStats& m = l.memory;
    const Count cols[] = {m.compute_cycles,   m.stall_cycles,      m.stall_ifmap,
                          m.stall_filter,     m.stall_ofmap,       m.stall_latency,
                          m.dram_ifmap_bytes, m.dram_filter_bytes, m.dram_ofmap_bytes};
    for (size_t c = 0; mem && c < mt.size(); ++c) {
      s += "," + count_str(cols[c]);
      mt[c] = sum_add(r, mt[c], cols[c], "memory totals");
    }
    s += "\n";
    ir = sum_add(r, ir, l.ifmap_reads, "total ifmap reads");
    fr = sum_add(r, fr, l.filter_reads, "total filter reads");
    orr = sum_add(r, orr, l.ofmap_reads, "total ofmap reads");
    ow = sum_add(r, ow, l.ofmap_writes, "total ofmap writes");
  }
  s += fmt::format("TOTAL,,,,{},{},{:.6f},,,{},{},{},{},", r.total_cycles(), r.total_macs(),
                   total_util(r), ir, fr, orr, ow);
  for (size_t c = 0; mem && c < mt.size(); ++c)
    s += "," + count_str(mt[c]);
  return s + "\n";
}

nlohmann::json sim_json(const SimReport& r) {
  nlohmann::json j;
  j["arch"] = {{"name", r.arch.name},           {"engine", r.arch.engine},
               {"rows", r.arch.rows},           {"cols", r.arch.cols},
               {"depth", r.arch.depth},         {"multipliers", r.arch.multipliers()},
               {"dataflow", r.arch.dataflow},   {"pe", r.arch.pe},
               {"format", r.arch.format},       {"acc_bits", r.arch.acc_bits},
               {"clock_mhz", r.arch.clock_mhz}, {"source", r.arch.source}};
  if (r.arch.memory.model == "dram") {
    const DramTiming d = dram_timing(r.arch);
    j["arch"]["memory"] = {{"model", "dram"},
                           {"dram", d.name},
                           {"dram_bytes_per_cycle", d.bytes_per_cycle},
                           {"dram_latency_cycles", d.latency_cycles},
                           {"dram_burst_bytes", d.burst_bytes},
                           {"dram_pj_per_bit", d.pj_per_bit},
                           {"double_buffer", r.arch.memory.double_buffer},
                           {"ifmap_sram_kb", r.arch.memory.ifmap_sram_kb},
                           {"filter_sram_kb", r.arch.memory.filter_sram_kb},
                           {"ofmap_sram_kb", r.arch.memory.ofmap_sram_kb}};
  }
  j["workload"] = r.workload;
  j["seed"] = r.seed;
  j["total_cycles"] = count_json(r.total_cycles());
  j["total_macs"] = count_json(r.total_macs());
  j["utilization"] = total_util(r);
  j["time_us"] = count_double(r.total_cycles()) / r.arch.clock_mhz;
  j["layers"] = nlohmann::json::array();
  j["operands"] = r.operands;
  Count ent_ops, ent_digits;
  ent_totals(r, ent_ops, ent_digits);
  if (ent_ops) j["avg_nonzero_digits"] = count_double(ent_digits) / count_double(ent_ops);
  if (r.has_energy) {
    j["energy_calibration"] = calibration_json(r.calibration);
    double total = 0;
    for (const auto& e : r.energy)
      total += e.total();
    j["energy_pj"] = total;
    j["energy_pj_per_mac"] = total / count_double(r.total_macs());
    if (!pim_arrays(r)) {
      const OperandSrams m =
          operand_srams(r.arch, r.calibration.node_nm, r.calibration.volts, "the calibration");
      const auto buffer = [](const OperandSram& b) {
        nlohmann::json x = macro_json(b.macro);
        x["macros_side_by_side"] = b.macros;
        return x;
      };
      j["sram_macros"] = {{"ifmap", buffer(m.ifmap)},
                          {"filter", buffer(m.filter)},
                          {"ofmap", buffer(m.ofmap)},
                          {"extrapolation", m.extrapolation}};
    }
  }
  const LutSram ls = lut_sram(r);
  if (!ls.refusal.empty())
    j["sram_arrays"] = {{"refusal", ls.refusal}};
  else if (!ls.layers.empty())
    j["sram_arrays"] = {{"periphery_included", r.has_energy},
                        {"energy_pj", sram_energy_json(ls.total)},
                        {"area_um2", ls.layers.front().area_um2},
                        {"arrays", ls.layers.front().arrays},
                        {"macro", macro_json(ls.layers.front().macro)}};
  // operand-class counts exist in Values mode only (-1 otherwise)
  const auto count_or_null = [](Count v) {
    return v >= 0 ? count_json(v) : nlohmann::json(nullptr);
  };
  for (size_t i = 0; i < r.layers.size(); ++i) {
    const auto& l = r.layers[i];
    j["layers"].push_back({{"name", l.name},
                           {"M", l.M},
                           {"N", l.N},
                           {"K", l.K},
                           {"cycles", count_json(l.cycles)},
                           {"macs", count_json(l.macs)},
                           {"pe_macs", count_json(l.pe_macs)},
                           {"pe_macs_one_zero_operand", count_or_null(l.pe_macs_one_zero)},
                           {"pe_macs_two_zero_operands", count_or_null(l.pe_macs_two_zero)},
                           {"pe_macs_held_zero_operand", count_or_null(l.pe_macs_held_zero)},
                           {"utilization", l.utilization},
                           {"mapping_efficiency", l.mapping_efficiency},
                           {"folds", count_json(l.folds)},
                           {"mode", sim_mode_name(l.mode)},
                           {"values_checked", l.values_checked},
                           {"sram",
                            {{"ifmap_reads", count_json(l.ifmap_reads)},
                             {"filter_reads", count_json(l.filter_reads)},
                             {"ofmap_reads", count_json(l.ofmap_reads)},
                             {"ofmap_writes", count_json(l.ofmap_writes)},
                             {"ifmap_bytes", count_json(l.ifmap_bytes)},
                             {"filter_bytes", count_json(l.filter_bytes)},
                             {"ofmap_bytes", count_json(l.ofmap_bytes)}}}});
    if (l.memory.modeled) {
      const MemoryStats& m = l.memory;
      j["layers"].back()["memory"] = {
          {"compute_cycles", count_json(m.compute_cycles)},
          {"stall_cycles", count_json(m.stall_cycles)},
          {"stall_by_cause",
           {{"ifmap_bandwidth", count_json(m.stall_ifmap)},
            {"filter_bandwidth", count_json(m.stall_filter)},
            {"ofmap_bandwidth", count_json(m.stall_ofmap)},
            {"latency", count_json(m.stall_latency)}}},
          {"dram_bytes",
           {{"ifmap_read", count_json(m.dram_ifmap_bytes)},
            {"filter_read", count_json(m.dram_filter_bytes)},
            {"ofmap_written", count_json(m.dram_ofmap_bytes)}}},
          {"tile", {{"M", m.tile_m}, {"N", m.tile_n}, {"K", m.tile_k}, {"order", m.order}}},
          {"tiles", count_json(m.tiles)},
          {"buffer_occupancy",
           {{"ifmap", m.ifmap_occupancy},
            {"filter", m.filter_occupancy},
            {"ofmap", m.ofmap_occupancy}}}};
    }
    if (l.lut_cycles_plain >= 0) // lut_gemv: the cycles of each saving alone
      j["layers"].back()["lut_gemv"] = {
          {"cycles_without_savings", count_json(l.lut_cycles_plain)},
          {"cycles_skip_zero_index_only", count_json(l.lut_cycles_skip)},
          {"cycles_batch_shared_lookup_only", count_json(l.lut_cycles_share)}};
    if (!ls.layers.empty()) {
      const LutSramEnergy& e = ls.layers[i];
      j["layers"].back()["sram_arrays"] = {{"row_reads", count_json(l.lut_row_reads)},
                                           {"row_writes", count_json(l.lut_row_writes)},
                                           {"arrays_used", e.arrays_used},
                                           {"energy_pj", sram_energy_json(e.energy)}};
    }
    if (l.ent_operands) {
      j["layers"].back()["avg_nonzero_digits"] = l.avg_nonzero_digits();
      j["layers"].back()["ent_operands"] = l.ent_operands;
    }
    if (r.has_energy) {
      const LayerEnergy& e = r.energy[i];
      j["layers"].back()["energy_pj"] = {{"array", e.array_pj},
                                         {"ifmap_sram", e.ifmap_sram_pj},
                                         {"filter_sram", e.filter_sram_pj},
                                         {"ofmap_sram", e.ofmap_sram_pj},
                                         {"dram", e.dram_pj},
                                         {"sram_arrays", e.arrays_pj},
                                         {"total", e.total()}};
    }
  }
  return j;
}

std::string scalesim_compute_report(const SimReport& r) {
  std::string s = "LayerID, Total Cycles, Stall Cycles, Overall Util %, Mapping Efficiency %, "
                  "Compute Util %,\n";
  for (size_t i = 0; i < r.layers.size(); ++i) {
    const auto& l = r.layers[i];
    // memory.model dram: its stall; compute util over the compute cycles alone
    const double compute_util =
        l.memory.modeled ? utilization(r.arch, l.macs, l.memory.compute_cycles) : l.utilization;
    s += fmt::format("{}, {}, {}, {:.6f}, {:.6f}, {:.6f},\n", i, l.cycles, l.memory.stall_cycles,
                     100 * l.utilization, 100 * l.mapping_efficiency, 100 * compute_util);
  }
  return s;
}

} // namespace tpe
