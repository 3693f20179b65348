// Verilog-2005 generator for the output-stationary array of sparsity-encoded PEs
// (opt3, opt4c): EN-T and sparse encoders, PE, array, controller and top, one
// module per file, plus filelist.f. Every register mirrors sim/sparse_core.
#pragma once
#include "core/arch_config.h"
#include "rtl_gen/systolic_verilog.h"
#include <string>

namespace tpe {

// The sparse encoder of one group (module <prefix>_senc; it instantiates
// <prefix>_ent_enc, rtl_gen/pe_verilog.h ent_encoder_module).
std::string sparse_encoder_module(const std::string& prefix, int W);

GeneratedRtl generate_sparse_verilog(const ArchConfig& arch, const std::string& regenerate_cmd);

} // namespace tpe
