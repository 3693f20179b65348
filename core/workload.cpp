// Workload CSV parser. Algorithm: one pass over the text (linear time, no
// per-line streams): split lines, trim (which strips '\r'), skip blank and '#'
// lines; the first remaining line is the header and chooses the form; each data
// row is split on commas, trailing empty fields dropped, each field trimmed and
// parsed as a positive integer with its column named in any error.
#include "core/workload.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/text.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string_view>

namespace tpe {

namespace {

bool space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

std::string_view trim_view(std::string_view s) {
  while (!s.empty() && space(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && space(s.back()))
    s.remove_suffix(1);
  return s;
}

// Fields split on commas and trimmed, trailing empty ones dropped; `f` is reused
// from row to row so a row allocates nothing beyond long fields.
void split_row(std::string_view line, std::vector<std::string>& f) {
  f.clear();
  for (;;) {
    const size_t c = line.find(',');
    f.emplace_back(trim_view(line.substr(0, c)));
    if (c == std::string_view::npos) break;
    line.remove_prefix(c + 1);
  }
  while (!f.empty() && f.back().empty())
    f.pop_back();
}

// The header chooses the form. SCALE-Sim itself skips its first line, and the files
// it ships name the columns in several ways ("Layer,M,N,K,", "L,M,N,K,", "Layer, IFMAP
// Width, IFMAP Width, ...", "ifmap height,...,num filters,strides,"), so the names
// are not compared: after a first name, 3 names are a GEMM (M, N, K in that order)
// and 7 a convolution. A last column is read by its name: "Sparsity" (SCALE-Sim v3's
// N:M column, 4th of a GEMM or 8th of a convolution) or, on a convolution, a column
// stride (SCALE-Sim v2 reads a 9th value as the column stride, with or without a
// header name). A name is a word, never a number.
enum class Form { None, Gemm, Conv };
enum class Extra { None, ColumnStride, Sparsity };
struct Header {
  Form form = Form::None;
  Extra extra = Extra::None; // the header names a column after the form's own
  std::string extra_name;    // an unknown extra column's name (refused)
};
bool is_name(const std::string& x) {
  return !x.empty() && !std::isdigit(static_cast<unsigned char>(x[0]));
}
Header header_of(const std::vector<std::string>& h) {
  Header r;
  for (const auto& x : h)
    if (!is_name(x)) return r;
  const auto last_extra = [&](size_t own) {
    if (h.size() == own) return;
    const std::string x = lower(h.back());
    if (x.find("sparsity") != std::string::npos)
      r.extra = Extra::Sparsity;
    else if (x.find("stride") != std::string::npos && own == 8)
      r.extra = Extra::ColumnStride;
    else
      r.extra_name = h.back();
  };
  if ((h.size() == 4 || h.size() == 5) && lower(h[1]) == "m" && lower(h[2]) == "n" &&
      lower(h[3]) == "k") {
    r.form = Form::Gemm;
    last_extra(4);
  } else if (h.size() == 8 || h.size() == 9) {
    r.form = Form::Conv;
    last_extra(8);
  }
  return r;
}

// SCALE-Sim v3's Sparsity cell "N:M" (N nonzero of every M weights). tpe's engines
// compute dense GEMMs, so only a dense ratio (N = M) is taken.
void check_sparsity(const std::string& file, int line, const std::string& cell) {
  const size_t colon = cell.find(':');
  int64_t n = 0, m = 0;
  if (colon == std::string::npos || !parse_int64(trim(cell.substr(0, colon)), n) ||
      !parse_int64(trim(cell.substr(colon + 1)), m) || n < 1 || m < n)
    throw InputError(file, line, "Sparsity",
                     "expected N:M with 1 <= N <= M (SCALE-Sim v3's structured sparsity), got '" +
                         cell + "'");
  if (n != m)
    throw InputError(file, line, "Sparsity",
                     "N:M structured sparsity (" + cell +
                         ", SCALE-Sim v3) is not modelled: tpe's engines compute dense GEMMs, so "
                         "only a dense ratio such as 1:1 is taken");
}

int64_t field_int(const std::string& file, int line, const std::string& col, const std::string& s) {
  int64_t v = 0;
  if (!parse_int64(s, v))
    throw InputError(file, line, col, "expected a positive integer, got '" + s + "'");
  if (v < 1 || v > kMaxDim)
    throw InputError(file, line, col, "value " + s + " out of range 1.." + std::to_string(kMaxDim));
  return v;
}

// Layer names reach JSON reports and the terminal: valid UTF-8, no control
// characters, at most kMaxLayerName bytes (README "Workload format").
void check_layer_name(const std::string& file, int line, const std::string& name) {
  if (name.size() > kMaxLayerName)
    throw InputError(file, line, "Layer name",
                     "longer than " + std::to_string(kMaxLayerName) + " bytes");
  if (!valid_utf8(name)) throw InputError(file, line, "Layer name", "is not valid UTF-8");
  if (has_control(name))
    throw InputError(file, line, "Layer name",
                     "contains a control character ('" + printable(name) + "')");
}

void check_macs(const std::string& file, int line, const Layer& l) {
  const Count p = Count(l.M) * l.N * l.K; // each below 2^31: exact
  if (p > kMaxMacs)
    throw InputError(file, line, "M*N*K",
                     "layer '" + l.name + "' has " + count_str(p) +
                         " MACs, more than the limit 2^62");
}

// An im2col dimension, the exact product of the factors (each below 2^31),
// refused above kMaxDim.
int64_t im2col_dim(const std::string& file, int line, const std::string& col, Count a, Count b,
                   Count c) {
  const Count p = a * b * c;
  if (p > kMaxDim)
    throw InputError(file, line, col,
                     count_str(p) + " exceeds the limit " + std::to_string(kMaxDim) +
                         " of a GEMM dimension");
  return static_cast<int64_t>(p);
}

} // namespace

Workload parse_workload_text(const std::string& text, const std::string& source) {
  Workload w;
  w.source = source;
  // one pass over the text; the layer vector is sized once (a data row has at
  // least 8 bytes), so memory stays proportional to the file
  const size_t lines = static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  w.layers.reserve(std::min(lines, text.size() / 8 + 1));
  int lineno = 0;
  Header head;
  Form& form = head.form;
  std::vector<std::string> f;
  // a UTF-8 byte order mark (spreadsheet exports; several SCALE-Sim topologies have one)
  const size_t start = text.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0;
  for (size_t pos = start; pos < text.size();) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    const std::string_view t = trim_view(std::string_view(text).substr(pos, end - pos));
    pos = end + 1;
    ++lineno;
    if (t.empty() || t[0] == '#') continue;
    split_row(t, f);
    // text after a row's last comma starting with '#' is a comment (SCALE-Sim drops the
    // last field of every row; its MobileNet files note "#dw" there)
    // a row is closed by a trailing comma, or by a comment after its last comma
    bool closed = t.back() == ',';
    if (!f.empty() && !f.back().empty() && f.back()[0] == '#') {
      closed = true;
      f.pop_back();
      while (!f.empty() && f.back().empty())
        f.pop_back();
    }
    if (form == Form::None) {
      head = header_of(f);
      if (form == Form::None)
        throw InputError(source, lineno, "header",
                         "expected 'Layer name, M, N, K,' or the SCALE-Sim convolution columns "
                         "'Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, "
                         "Channels, Num Filter, Strides,' (optionally a column stride or "
                         "Sparsity)");
      if (!head.extra_name.empty())
        throw InputError(source, lineno, printable(head.extra_name),
                         "not a SCALE-Sim column: after the " +
                             std::string(form == Form::Gemm ? "GEMM's M, N, K" : "Strides") +
                             " column SCALE-Sim v2 reads a column stride and v3 an N:M Sparsity "
                             "(SCALE-Sim v3 fails on this file too)");
      continue;
    }
    // GEMM rows have 4 fields, convolution rows 8; one more for the header's extra
    // column, or on a convolution for SCALE-Sim v2's column stride
    const size_t own = form == Form::Gemm ? 4 : 8;
    const bool extra_ok = head.extra != Extra::None || form == Form::Conv;
    if (f.size() != own && !(extra_ok && f.size() == own + 1))
      throw InputError(source, lineno, "row",
                       "expected " + std::to_string(own) +
                           (extra_ok ? " or " + std::to_string(own + 1) : std::string()) +
                           " fields, found " + std::to_string(f.size()));
    if (f.size() == own + 1 && head.extra == Extra::Sparsity)
      check_sparsity(source, lineno, f[own]);
    // SCALE-Sim drops a row's last field: a 9th value counts only before a trailing comma
    if (form == Form::Conv && f.size() == 9 && head.extra != Extra::Sparsity && !closed)
      throw InputError(source, lineno, "row",
                       "9 values without the trailing comma: SCALE-Sim drops the last one (the "
                       "column stride becomes Strides); end the row with a comma to give a column "
                       "stride, or leave the 9th value out");
    Layer l;
    l.name = f[0];
    l.line = lineno;
    if (l.name.empty()) throw InputError(source, lineno, "Layer name", "must not be empty");
    check_layer_name(source, lineno, l.name);
    if (form == Form::Gemm) {
      l.M = field_int(source, lineno, "M", f[1]);
      l.N = field_int(source, lineno, "N", f[2]);
      l.K = field_int(source, lineno, "K", f[3]);
    } else {
      ConvShape c;
      c.ifmap_h = field_int(source, lineno, "IFMAP Height", f[1]);
      c.ifmap_w = field_int(source, lineno, "IFMAP Width", f[2]);
      c.filt_h = field_int(source, lineno, "Filter Height", f[3]);
      c.filt_w = field_int(source, lineno, "Filter Width", f[4]);
      c.channels = field_int(source, lineno, "Channels", f[5]);
      c.filters = field_int(source, lineno, "Num Filter", f[6]);
      c.stride = field_int(source, lineno, "Strides", f[7]);
      c.stride_w = f.size() == 9 && head.extra != Extra::Sparsity
                       ? field_int(source, lineno, "Stride width", f[8])
                       : c.stride;
      if (c.filt_h > c.ifmap_h)
        throw InputError(source, lineno, "Filter Height", "filter is taller than the IFMAP");
      if (c.filt_w > c.ifmap_w)
        throw InputError(source, lineno, "Filter Width", "filter is wider than the IFMAP");
      l.is_conv = true;
      l.conv = c;
      l.M = im2col_dim(source, lineno, "im2col M = ofmap height * ofmap width", c.ofmap_h(),
                       c.ofmap_w(), 1);
      l.N = c.filters;
      l.K = im2col_dim(source, lineno, "im2col K = Filter Height * Filter Width * Channels",
                       c.filt_h, c.filt_w, c.channels);
    }
    check_macs(source, lineno, l);
    // SCALE-Sim's depthwise convolution: a layer whose name contains "DP" runs as one
    // layer per channel, each on that channel alone with the same filters, named
    // NAMEChannel_i (SCALE-Sim v2 topology_utils.py)
    if (l.is_conv && l.name.find("DP") != std::string::npos) {
      const int64_t channels = l.conv.channels;
      if (channels > kMaxDepthwiseChannels)
        throw InputError(source, lineno, "Channels",
                         "a depthwise (DP) layer of " + std::to_string(channels) +
                             " channels becomes one layer per channel; at most " +
                             std::to_string(kMaxDepthwiseChannels));
      if (static_cast<int64_t>(w.layers.size()) + channels > kMaxSplitLayers)
        throw InputError(source, lineno, "Channels",
                         "splitting depthwise (DP) layers per channel would give more than " +
                             std::to_string(kMaxSplitLayers) + " layers");
      Layer d = l;
      d.conv.channels = 1;
      d.K = l.conv.filt_h * l.conv.filt_w;
      for (int64_t ch = 0; ch < channels; ++ch) {
        d.name = l.name + "Channel_" + std::to_string(ch);
        if (d.name.size() > kMaxLayerName)
          throw InputError(source, lineno, "Layer name",
                           "with the depthwise split's suffix ('" + d.name.substr(l.name.size()) +
                               "') longer than " + std::to_string(kMaxLayerName) + " bytes");
        w.layers.push_back(d);
      }
      continue;
    }
    w.layers.push_back(l);
  }
  if (form == Form::None)
    throw InputError(source, lineno > 0 ? lineno : 1, "header", "the workload file is empty");
  if (w.layers.empty())
    throw InputError(source, lineno, "", "the workload has a header but no layers");
  return w;
}

Workload parse_workload_file(const std::string& path) {
  return parse_workload_text(read_file(path, "the workload file"), path);
}

Layer parse_gemm_spec(const std::string& spec) {
  std::vector<std::string> p;
  std::string cur;
  for (char c : spec) {
    if (c == 'x' || c == 'X') {
      p.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  p.push_back(cur);
  if (p.size() != 3)
    throw InputError("--gemm", 0, "", "expected MxKxN (for example 37x29x53), got '" + spec + "'");
  Layer l;
  l.name = "gemm_" + spec;
  l.M = field_int("--gemm", 0, "M", p[0]);
  l.K = field_int("--gemm", 0, "K", p[1]);
  l.N = field_int("--gemm", 0, "N", p[2]);
  check_macs("--gemm", 0, l);
  return l;
}

Layer random_gemm(Rng& rng, int64_t max_dim, const std::string& name) {
  Layer l;
  l.name = name;
  l.M = rng.uniform(1, max_dim);
  l.K = rng.uniform(1, max_dim);
  l.N = rng.uniform(1, max_dim);
  return l;
}

} // namespace tpe
