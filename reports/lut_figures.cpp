// The LUT-GEMV figures: for every lut_gemv design, weight width w and batch B, a
// copy of the design with `weight: int<w>` (and `batch: B` in weight orientation)
// runs every layer of the workload at M = B through run_layer in analytic mode (the
// closed form, whose data-dependent terms count the drawn activations; tpe sim's
// own path, so `tpe sim --mode analytic` on the same design, layer and seed gives
// the same cycles). The design is run with every saving its orientation and form
// allow switched on; the closed form gives the cycles with none, with each alone
// and (as `cycles`) with all. The reference engines run the same layers.
#include "reports/lut_figures.h"
#include "core/arch_config.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/operand_dist.h"
#include "core/workload.h"
#include "dataflows/lut_gemv_mapping.h"
#include "pe_models/lut_table.h"
#include "reports/energy_model.h"
#include "reports/lut_scaling.h"
#include "sim/engine.h"
#include <algorithm>
#include <fmt/format.h>
#include <stdexcept>

namespace tpe {
namespace {

Workload gemv_workload(const std::string& path) {
  Workload w = parse_workload_file(path);
  for (const Layer& l : w.layers)
    if (l.M != 1)
      throw InputError(path, l.line, "M",
                       "layer '" + l.name + "' has M = " + std::to_string(l.M) +
                           "; tpe lut runs decode GEMVs (M = 1, one token) at each --batch");
  return w;
}

RunOptions analytic(const LutFiguresOptions& o, const std::string& source) {
  RunOptions r;
  r.mode = SimMode::Analytic;
  r.seed = o.seed;
  r.dist = parse_operand_dist(o.operands);
  r.source = source;
  return r;
}

Layer at_batch(const Layer& l, int batch) {
  Layer b = l;
  b.M = batch;
  return b;
}

// The design at weight width w and batch B, with every saving it allows switched
// on; throws InputError when the architecture check refuses it.
ArchConfig variant(const ArchConfig& base, int w, int batch) {
  ArchConfig a = base;
  a.act_format = base.act();
  a.weight_format = "int" + std::to_string(w);
  const LutGemvParams p0 = lut_gemv_params(base);
  if (p0.arith.table == LutTable::Weight) {
    a.engine_keys["batch"] = std::to_string(batch);
    a.engine_keys["batch_shared_lookup"] = "true";
    a.engine_keys["skip_zero_index"] = p0.arith.form == LutForm::Subset ? "true" : "false";
  }
  validate_arch(a);
  return a;
}

struct PeripheryCal {
  std::string file;
  EnergyCalibration cal;
  std::string table, form;
};

// The periphery calibrations, at most one per (table, form).
std::vector<PeripheryCal> periphery_cals(const std::vector<std::string>& files) {
  std::vector<PeripheryCal> out;
  for (const std::string& f : files) {
    PeripheryCal c{f, parse_calibration_text(read_file(f, "the calibration file"), f), "", ""};
    if (c.cal.design.engine != "lut_gemv")
      throw InputError(f, 0, "design.engine",
                       "'" + c.cal.design.engine +
                           "': --periphery takes calibrations of lut_gemv designs");
    c.table = engine_key(c.cal.design, "table");
    c.form = engine_key(c.cal.design, "form");
    for (const PeripheryCal& o : out)
      if (o.table == c.table && o.form == c.form)
        throw InputError(f, 0, "design.engine_keys.table",
                         "a second calibration of table " + c.table + ", form " + c.form +
                             " (the first: " + o.file + "); give one per table and form");
    out.push_back(std::move(c));
  }
  return out;
}

std::string pct(Count with, Count without) {
  if (with < 0 || without <= 0) return "–";
  return fmt::format("{:.1f}%", 100.0 * (1.0 - count_double(with) / count_double(without)));
}

} // namespace

LutFigures lut_figures(const std::vector<std::string>& lut_archs,
                       const std::vector<std::string>& reference_archs, const LutFiguresOptions& o,
                       std::ostream& progress) {
  const Workload wl = gemv_workload(o.workload);
  const RunOptions run = analytic(o, o.workload);
  for (int b : o.batches)
    if (b < 1 || b > 1024)
      throw InputError("--batch", 0, "", "batch " + std::to_string(b) + " is outside 1..1024");
  for (int w : o.weight_bits)
    if (w < 1 || w > 8)
      throw InputError("--weight-bits", 0, "",
                       "weight width " + std::to_string(w) + " is outside 1..8");
  const std::vector<PeripheryCal> cals = periphery_cals(o.periphery);
  LutFigures f;
  for (const std::string& file : lut_archs) {
    const ArchConfig base = parse_arch_file(file);
    if (base.engine != "lut_gemv")
      throw InputError(file, 0, "engine",
                       "tpe lut takes lut_gemv designs (--arch); give other engines with --vs");
    const LutGemvParams bp = lut_gemv_params(base);
    for (int w : o.weight_bits)
      for (int batch : o.batches) {
        LutFiguresRow row;
        row.arch_file = file;
        row.design = base.name;
        row.table = lut_name(bp.arith.table);
        row.form = lut_name(bp.arith.form);
        row.group = bp.arith.group;
        row.act_bits = bp.arith.act_bits;
        row.weight_bits = w;
        row.batch = batch;
        progress << "lut: " << base.name << " weight int" << w << " batch " << batch << "\n";
        ArchConfig a;
        try {
          a = variant(base, w, batch);
        } catch (const InputError& e) {
          row.refusal = e.what();
          f.rows.push_back(row);
          continue;
        }
        const LutGemvParams p = lut_gemv_params(a);
        const LutArith arith(p.arith);
        row.table_rows = arith.rows();
        row.entry_bits = arith.entry_bits();
        const int v_bits = arith.v_bits(), g = arith.group();
        const int64_t e_min = LutArith::min_entry_bits(v_bits, g);
        row.subset_table_bits = ((int64_t(1) << g) - 1) * e_min;
        row.signed_table_bits = (int64_t(1) << (g - 1)) * e_min;
        const bool weight = p.arith.table == LutTable::Weight;
        row.cycles_plain = 0;
        if (weight) row.cycles_skip = row.cycles_share = row.cycles_both = 0;
        double sram_pj = 0, periphery_pj = -1;
        EnergyCalibration periphery;
        for (const PeripheryCal& c : cals)
          if (c.table == row.table && c.form == row.form) {
            row.periphery_from = c.file;
            try {
              periphery = scale_lut_calibration(c.cal, a, c.file);
              periphery_pj = 0;
            } catch (const InputError& e) {
              row.periphery_note = std::string("not reported: ") + e.what();
            }
          }
        if (row.periphery_from.empty())
          row.periphery_note =
              "no --periphery calibration of table " + row.table + ", form " + row.form;
        for (const Layer& l : wl.layers) {
          const LayerResult r = run_layer(a, at_batch(l, batch), run);
          if (periphery_pj >= 0) periphery_pj += array_energy_pj(a, r, periphery);
          row.macs = count_add(row.macs, r.macs, "MACs");
          if (sram_pj >= 0) try {
              const LutSramEnergy e = lut_gemv_sram_energy(a, r);
              sram_pj += e.energy.total();
              row.sram_area_um2 = e.area_um2;
              row.sram_note = e.extrapolation;
            } catch (const std::invalid_argument& e) {
              sram_pj = -1;
              row.sram_note = std::string("not reported: ") + e.what();
            }
          if (weight) {
            row.cycles_plain = count_add(row.cycles_plain, r.lut_cycles_plain, "cycles");
            row.cycles_share = count_add(row.cycles_share, r.lut_cycles_share, "cycles");
            row.cycles_both = count_add(row.cycles_both, r.cycles, "cycles");
            row.cycles_skip = count_add(row.cycles_skip, r.lut_cycles_skip, "cycles");
          } else {
            row.cycles_plain = count_add(row.cycles_plain, r.cycles, "cycles");
          }
        }
        row.sram_pj = sram_pj;
        row.periphery_pj = periphery_pj;
        if (sram_pj < 0) row.sram_area_um2 = -1;
        if (weight && p.arith.form != LutForm::Subset) // no zero-index skip in the signed form
          row.cycles_skip = -1;
        row.macs_per_cycle = count_double(row.macs) / count_double(row.cycles_plain);
        f.rows.push_back(row);
      }
  }
  for (const std::string& file : reference_archs) {
    const ArchConfig a = parse_arch_file(file);
    for (int batch : o.batches) {
      progress << "lut: reference " << a.name << " batch " << batch << "\n";
      LutReferenceRow ref;
      ref.arch_file = file;
      ref.design = a.name;
      ref.shape = a.shape();
      ref.batch = batch;
      for (const Layer& l : wl.layers)
        ref.cycles = count_add(ref.cycles, run_layer(a, at_batch(l, batch), run).cycles, "cycles");
      f.references.push_back(ref);
    }
  }
  return f;
}

std::string lut_figures_markdown(const LutFigures& f, const LutFiguresOptions& o) {
  std::string s =
      fmt::format("LUT-GEMV decode: the GEMVs of {} at each batch (M = batch tokens), activations "
                  "{}, seed {}; cycles per token without savings, and the saving of each option "
                  "(1 - cycles with it / cycles without); SRAM arrays' energy per token (every "
                  "saving on) and area from the SRAM model (docs/sram-model.md, 130 nm); the "
                  "periphery's energy per token (every saving on) from a calibration of its "
                  "table and form scaled by register bits (reports/lut_scaling.h: a floor, "
                  "docs/lut-gemv.md \"Periphery at scale\")\n\n",
                  o.workload, o.operands, o.seed);
  s += "| design | table | form | g | act bits | weight bits | batch | cycles/token | "
       "skip_zero_index | batch_shared_lookup | both | MACs/cycle | table rows x entry bits | "
       "table bits subset / signed | SRAM arrays uJ/token | SRAM arrays mm^2 | periphery uJ/token "
       "(scaled) |\n";
  s += "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (const LutFiguresRow& r : f.rows) {
    if (!r.refusal.empty()) {
      s += fmt::format("| {} | {} | {} | {} | {} | {} | {} | refused: {} ||||||||||\n", r.design,
                       r.table, r.form, r.group, r.act_bits, r.weight_bits, r.batch, r.refusal);
      continue;
    }
    s += fmt::format(
        "| {} | {} | {} | {} | {} | {} | {} | {:.0f} | {} | {} | {} | {:.1f} | {} x "
        "{} | {} / {} | {} | {} | {} |\n",
        r.design, r.table, r.form, r.group, r.act_bits, r.weight_bits, r.batch,
        r.per_token(r.cycles_plain), pct(r.cycles_skip, r.cycles_plain),
        pct(r.cycles_share, r.cycles_plain), pct(r.cycles_both, r.cycles_plain), r.macs_per_cycle,
        r.table_rows, r.entry_bits, r.subset_table_bits, r.signed_table_bits,
        r.sram_pj < 0 ? std::string("–") : fmt::format("{:.1f}", r.sram_pj * 1e-6 / r.batch),
        r.sram_area_um2 < 0 ? std::string("–") : fmt::format("{:.2f}", r.sram_area_um2 * 1e-6),
        r.periphery_pj < 0 ? std::string("–")
                           : fmt::format("{:.1f}", r.periphery_pj * 1e-6 / r.batch));
  }
  std::vector<std::string> notes; // one line per distinct SRAM note
  for (const LutFiguresRow& r : f.rows) {
    const std::string n = r.sram_note.empty() ? "" : r.design + ": " + r.sram_note;
    if (!n.empty() && std::find(notes.begin(), notes.end(), n) == notes.end()) notes.push_back(n);
  }
  for (const std::string& n : notes)
    s += "\nSRAM arrays of " + n + "\n";
  std::vector<std::string> pnotes; // the periphery's source per design, or why it is missing
  for (const LutFiguresRow& r : f.rows) {
    if (!r.refusal.empty()) continue;
    const std::string n =
        r.design + ": " +
        (r.periphery_pj >= 0 ? "the calibration " + r.periphery_from + " scaled by register bits"
                             : r.periphery_note);
    if (std::find(pnotes.begin(), pnotes.end(), n) == pnotes.end()) pnotes.push_back(n);
  }
  for (const std::string& n : pnotes)
    s += "\nPeriphery of " + n + "\n";
  if (!f.references.empty()) {
    s += "\nReference engines on the same GEMVs (their own formats)\n\n"
         "| design | shape | batch | cycles/token |\n|---|---|---|---|\n";
    for (const LutReferenceRow& r : f.references)
      s += fmt::format("| {} | {} | {} | {:.0f} |\n", r.design, r.shape, r.batch,
                       count_double(r.cycles) / r.batch);
  }
  return s;
}

nlohmann::json lut_figures_json(const LutFigures& f, const LutFiguresOptions& o) {
  nlohmann::json j;
  j["workload"] = o.workload;
  j["operands"] = o.operands;
  j["seed"] = o.seed;
  j["rows"] = nlohmann::json::array();
  for (const LutFiguresRow& r : f.rows) {
    nlohmann::json x = {{"arch", r.arch_file},
                        {"design", r.design},
                        {"table", r.table},
                        {"form", r.form},
                        {"group", r.group},
                        {"act_bits", r.act_bits},
                        {"weight_bits", r.weight_bits},
                        {"batch", r.batch}};
    if (!r.refusal.empty()) {
      x["refusal"] = r.refusal;
    } else {
      x["cycles_without_savings"] = count_json(r.cycles_plain);
      x["cycles_skip_zero_index_only"] =
          r.cycles_skip >= 0 ? count_json(r.cycles_skip) : nlohmann::json(nullptr);
      x["cycles_batch_shared_lookup_only"] =
          r.cycles_share >= 0 ? count_json(r.cycles_share) : nlohmann::json(nullptr);
      x["cycles_both"] = r.cycles_both >= 0 ? count_json(r.cycles_both) : nlohmann::json(nullptr);
      x["cycles_per_token_without_savings"] = r.per_token(r.cycles_plain);
      x["macs"] = count_json(r.macs);
      x["macs_per_cycle"] = r.macs_per_cycle;
      x["table_rows"] = r.table_rows;
      x["entry_bits"] = r.entry_bits;
      x["subset_table_bits"] = r.subset_table_bits;
      x["signed_table_bits"] = r.signed_table_bits;
      // the SRAM arrays; the periphery apart (scaled by register bits)
      x["sram_arrays_energy_pj_per_token"] =
          r.sram_pj < 0 ? nlohmann::json(nullptr) : nlohmann::json(r.sram_pj / r.batch);
      x["sram_arrays_area_um2"] =
          r.sram_area_um2 < 0 ? nlohmann::json(nullptr) : nlohmann::json(r.sram_area_um2);
      x["sram_arrays_note"] = r.sram_note;
      x["periphery_energy_pj_per_token"] =
          r.periphery_pj < 0 ? nlohmann::json(nullptr) : nlohmann::json(r.periphery_pj / r.batch);
      x["periphery_scaled_from"] = r.periphery_from;
      x["periphery_note"] = r.periphery_note;
      x["periphery_included"] = r.periphery_pj >= 0;
    }
    j["rows"].push_back(x);
  }
  j["references"] = nlohmann::json::array();
  for (const LutReferenceRow& r : f.references)
    j["references"].push_back({{"arch", r.arch_file},
                               {"design", r.design},
                               {"shape", r.shape},
                               {"batch", r.batch},
                               {"cycles", count_json(r.cycles)},
                               {"cycles_per_token", count_double(r.cycles) / r.batch}});
  return j;
}

} // namespace tpe
