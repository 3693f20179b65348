// Quantizing real matrices into a number format (pe_models/number_format.h): element
// codes and, for block formats, one scale code per block of `block.size` consecutive
// elements of a row (a row runs along K, the GEMM's reduction dimension; the last
// block of a row is shorter when the row length is not a multiple of the size).
// The rules and their sources (ARITHMETIC.md section 1):
//  - MX (OCP MX v1.0, microxcaling): any NaN or Inf in a block -> scale NaN (0xFF),
//    element codes 0; all-zero block -> scale 0x00; otherwise shared exponent
//    X = floor(log2 amax) - emax_elem, exactly from amax's binary exponent (OCP floor
//    rule), or X = ceil(log2(fp32(amax) * fp32(1 / max_elem))) in binary32 as
//    TransformerEngine/cuBLAS (round-up rule); X > 127 -> NaN scale, X < -127 -> -127;
//    element = encode(x / 2^X) with the element rounding (RNE default, microxcaling
//    "nearest" = ties away selectable), always saturating to the element's max
//    (MXINT8: +-127, never -128).
//  - NVFP4 (TransformerEngine, all in binary32): S_enc = 448 * 6 / amax_tensor (1 if
//    amax_tensor = 0, at most FLT_MAX), S_dec = 1 / S_enc; block scale
//    = e4m3_rne_satfinite(amax_block * (S_enc * (1/6))); element
//    = e2m1_rne_satfinite(x * min(1 / (scale * S_dec), FLT_MAX)); amax_tensor measured
//    over the whole matrix unless given.
//  - NF4 (bitsandbytes): absmax per block in binary32 (stored as its fp32 bit pattern,
//    the scale code), element = nf4(x * fp32(1 / absmax)) in binary32; all-zero
//    block -> codes 0.
// NVFP4 and NF4 round every input to binary32 first (their references compute in
// FP32); the MX and element-wise formats take the binary64 inputs as they are.
// Decoded values are exact: element value x block scale (x S_dec for NVFP4).
#pragma once
#include "pe_models/number_format.h"
#include <optional>
#include <vector>

namespace tpe {

enum class MxScaleRule {
  Floor,   // OCP: X = floor(log2 amax) - emax_elem
  RoundUp, // NVIDIA: X = ceil(log2(amax / max_elem))
};

struct QuantOptions {
  std::optional<Rounding> rounding; // element rounding (default: the format's)
  std::optional<Overflow> overflow; // element-wise formats (default: the format's)
  MxScaleRule mx_scale = MxScaleRule::Floor;
  std::optional<double> tensor_amax; // NVFP4: given tensor amax (default: measured)
};

struct QuantizedMatrix {
  int rows = 0, cols = 0;
  int block = 0;                 // block size along a row (0: element-wise format)
  int blocks_per_row = 0;        // ceil(cols / block)
  std::vector<uint32_t> codes;   // rows x cols, row-major
  std::vector<uint32_t> scales;  // rows x blocks_per_row scale codes (block formats)
  float tensor_decode_scale = 1; // NVFP4: S_dec (binary32)
  float tensor_amax = 0;         // NVFP4: the amax S_enc came from
  std::vector<double> values;    // rows x cols exact decoded values

  uint32_t scale_of(int r, int c) const { return scales[size_t(r) * blocks_per_row + c / block]; }
};

// The emax of an element format: floor(log2(max finite)) (E4M3 8, E5M2 15, E3M2 4,
// E2M3 2, E2M1 2, MXINT8 0).
int element_emax(const NumberFormat& f);

// The value of a block scale code of format f (E8M0 2^(c-127) or NaN; E4M3; FP32 bits).
double block_scale_value(const NumberFormat& f, uint32_t scale_code);

// Quantize `rows` (each a row of equal length) into f. Throws std::invalid_argument
// on ragged rows or a given tensor amax that is not finite and positive.
QuantizedMatrix quantize_matrix(const NumberFormat& f, const std::vector<std::vector<double>>& rows,
                                const QuantOptions& o = {});
// One row (a vector along K).
QuantizedMatrix quantize_vector(const NumberFormat& f, const std::vector<double>& x,
                                const QuantOptions& o = {});

} // namespace tpe
