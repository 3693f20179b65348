// Verilog-2005 generator for the output-stationary array of serial PEs (opt3,
// opt4c, bitserial, pragmatic): row encoders, PE, array, controller and top, one
// module per file, plus filelist.f. Every register mirrors sim/sparse_core.
#pragma once
#include "core/arch_config.h"
#include "rtl_gen/systolic_verilog.h"
#include <string>

namespace tpe {

// The row encoder of a serial PE for one group of 4 operands: <prefix>_senc
// (opt3, opt4c; it instantiates <prefix>_ent_enc, rtl_gen/pe_verilog.h
// ent_encoder_module), <prefix>_sbits (bitserial) or <prefix>_soneff (pragmatic).
std::string serial_encoder_module(const std::string& prefix, const std::string& pe, int W);

GeneratedRtl generate_sparse_verilog(const ArchConfig& arch, const std::string& regenerate_cmd);

} // namespace tpe
