// Block-scaled GEMM operands: transpose to lines along K when K runs down the
// columns, quantize_matrix, then pack each element's block scale above its code.
#include "pe_models/block_operand.h"
#include "pe_models/block_quant.h"
#include <stdexcept>

namespace tpe {

BlockOperand block_operand(const NumberFormat& f, const std::vector<double>& values, int64_t rows,
                           int64_t cols, bool k_along_rows) {
  if (!f.is_block()) throw std::invalid_argument(f.name + " is not a block-scaled format");
  if (rows < 0 || cols < 0 || int64_t(values.size()) != rows * cols)
    throw std::invalid_argument("block_operand: values is not rows x cols");
  const int64_t L = k_along_rows ? cols : rows, K = k_along_rows ? rows : cols;
  std::vector<std::vector<double>> lines(static_cast<size_t>(L),
                                         std::vector<double>(static_cast<size_t>(K)));
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j)
      lines[size_t(k_along_rows ? j : i)][size_t(k_along_rows ? i : j)] =
          values[size_t(i * cols + j)];
  const QuantizedMatrix q = quantize_matrix(f, lines);
  BlockOperand op;
  op.tensor_decode_scale = f.block.rule == BlockRule::NVFP4 ? double(q.tensor_decode_scale) : 1.0;
  op.codes = OperandMatrix(rows, cols);
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) {
      const int l = int(k_along_rows ? j : i), k = int(k_along_rows ? i : j);
      const uint32_t code = q.codes[size_t(l) * size_t(q.cols) + size_t(k)];
      const uint32_t scale = q.scale_of(l, k);
      op.codes.at(i, j) = static_cast<int32_t>(code | (scale << f.bits));
    }
  return op;
}

} // namespace tpe
