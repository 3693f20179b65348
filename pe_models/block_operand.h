// A GEMM operand in a block-scaled format as the engines take it
// (docs/formats-engines.md "Block-scaled operands"): the real matrix is quantized
// along K with pe_models/block_quant.h quantize_matrix (A: each row is a line along
// K; B: each column; blocks start at k = 0), and each element holds
// (scale code << W) | element code, W the element code width. NVFP4's FP32 tensor
// scale is not in the engine: its S_dec is returned for the caller's epilogue
// (value = accumulator value x S_dec(A) x S_dec(B), in binary64, as `tpe gemm`).
// Shared by `tpe gemm` (cli/cmd_gemm.cpp) and `tpe formats` (reports/formats.cpp).
#pragma once
#include "core/tensor.h"
#include "pe_models/number_format.h"
#include <vector>

namespace tpe {

struct BlockOperand {
  OperandMatrix codes;            // rows x cols, (scale << W) | code
  double tensor_decode_scale = 1; // NVFP4: S_dec (binary32 value); 1 for the other formats
};

// `values`: rows x cols reals, row-major. k_along_rows: K runs down the columns
// (B, K x N); false: along the rows (A, M x K). Throws std::invalid_argument when f
// is not a block format or values does not hold rows x cols elements.
BlockOperand block_operand(const NumberFormat& f, const std::vector<double>& values, int64_t rows,
                           int64_t cols, bool k_along_rows);

} // namespace tpe
