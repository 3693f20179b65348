// Workload traces (CSV). Two forms, told apart by the header row:
//   GEMM:        Layer name, M, N, K,
//   convolution: Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width,
//                Channels, Num Filter, Strides,          (SCALE-Sim topology columns)
// A convolution becomes a GEMM by im2col: M = ofmap_h * ofmap_w, N = filters,
// K = R * S * C with ofmap = ceil((H - R + s) / s). Trailing commas, blank lines,
// '#' comment lines and a UTF-8 byte order mark are accepted; anything else malformed
// is a FILE:LINE: error. As in SCALE-Sim v2: the header's column names are not
// compared (its shipped files spell them several ways; the count chooses the form),
// a 9th convolution field is the column stride, and a layer whose name contains "DP"
// is depthwise, split into one layer per channel (NAMEChannel_i, Channels = 1).
//
// Limits (refused as FILE:LINE: COLUMN: problem): every field and every GEMM
// dimension, the im2col M = ofmap_h * ofmap_w and K = R * S * C included, is
// 1..kMaxDim = 2^31 - 1 (computed exactly, never wrapped), and a layer has at
// most kMaxMacs = 2^62 MACs (M * N * K). Every count derived from a layer within
// these limits is exact (core/count.h).
#pragma once
#include "core/count.h"
#include "core/tensor.h"
#include <cstdint>
#include <string>
#include <vector>

namespace tpe {

constexpr int64_t kMaxDim = (int64_t(1) << 31) - 1;
constexpr int64_t kMaxMacs = int64_t(1) << 62;

struct ConvShape {
  int64_t ifmap_h = 0, ifmap_w = 0, filt_h = 0, filt_w = 0, channels = 0, filters = 0;
  int64_t stride = 1;   // along the height (SCALE-Sim's Strides column)
  int64_t stride_w = 1; // along the width: the optional 9th column, else `stride`
  int64_t ofmap_h() const { return (ifmap_h - filt_h + stride + stride - 1) / stride; }
  int64_t ofmap_w() const { return (ifmap_w - filt_w + stride_w + stride_w - 1) / stride_w; }
};

struct Layer {
  std::string name;
  int64_t M = 0, N = 0, K = 0; // C[M,N] = A[M,K] x B[K,N]
  bool is_conv = false;
  ConvShape conv; // when is_conv
  int line = 0;   // line in the source file
  // M * N * K, exact (CountOverflow above 2^63 - 1, impossible within the limits)
  int64_t macs() const { return count_to_int64(Count(M) * N * K, "MACs"); }
};

struct Workload {
  std::string source;
  std::vector<Layer> layers;
};

constexpr size_t kMaxLayerName = 256; // bytes of UTF-8
// A depthwise layer (name containing "DP", split per channel as SCALE-Sim does) has
// at most this many channels, so a file cannot ask for billions of layers.
constexpr int64_t kMaxDepthwiseChannels = 65536;
// and the layers of a workload with its depthwise layers split are at most this many
constexpr int64_t kMaxSplitLayers = int64_t(1) << 18;

Workload parse_workload_file(const std::string& path);
Workload parse_workload_text(const std::string& text, const std::string& source = "<string>");

// "MxKxN" as used by `tpe verify --gemm` (note the order: M, K, N).
Layer parse_gemm_spec(const std::string& spec);

// A GEMM with M, K and N drawn uniformly from 1..max_dim (in that order).
Layer random_gemm(Rng& rng, int64_t max_dim, const std::string& name);

} // namespace tpe
