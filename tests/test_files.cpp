// Files and paths as users give them: input paths that are directories, FIFOs,
// devices, empty, missing or symbolic links; output paths that are devices,
// symbolic links, directories or unreachable; --out DIR replaced as a whole;
// text fields that are not valid UTF-8 or hold control characters; temporary
// files and child processes gone after a failure or a SIGTERM/SIGINT; duplicate
// SCALE-Sim keys; the workload parser on 200,000 rows. Library calls and the
// tpe binary (TPE_TPE_BIN) run with a private TMPDIR.
#include "core/atomic_file.h"
#include "core/cleanup.h"
#include "core/error.h"
#include "core/json_text.h"
#include "core/output_dir.h"
#include "core/process.h"
#include "core/scalesim_config.h"
#include "core/text.h"
#include "core/workload.h"
#include "reports/synth_flow.h"
#include "test_helpers.h"
#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace tpe;
namespace fs = std::filesystem;

namespace {

const std::string kSrc = TPE_SOURCE_DIR;
const std::string kArch = kSrc + "/configs/systolic_4x4_os.yaml";
const std::string kGemm = kSrc + "/workloads/tiny_gemm.csv";

std::string fresh_dir(const std::string& tag) {
  const std::string d =
      fs::temp_directory_path().string() + "/tpe_files_" + tag + "_" + std::to_string(getpid());
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

// A fresh directory, removed with everything in it at the end of the test.
struct Scratch {
  std::string path;
  explicit Scratch(const std::string& tag) : path(fresh_dir(tag)) {}
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

void put(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

template <class F> std::string error_of(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

bool is_char_device(const std::string& p) {
  struct stat st {};
  return lstat(p.c_str(), &st) == 0 && S_ISCHR(st.st_mode);
}

struct Run {
  int status = -1; // exit status, or 128 + signal
  std::string out; // stdout and stderr
};

// tpe with these arguments (no shell), TMPDIR set to `tmpdir` when given.
Run run_tpe_argv(const std::vector<std::string>& args, const std::string& tmpdir = "",
                 const std::string& cwd = "") {
  const Scratch log_dir("log");
  const std::string log = log_dir.path + "/out.txt";
  std::vector<std::string> argv = {TPE_TPE_BIN};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> cargv;
  for (auto& a : argv)
    cargv.push_back(a.data());
  cargv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    if (!tmpdir.empty()) setenv("TMPDIR", tmpdir.c_str(), 1);
    if (!cwd.empty() && chdir(cwd.c_str()) != 0) _exit(126);
    const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    execv(cargv[0], cargv.data());
    _exit(127);
  }
  int st = 0;
  waitpid(pid, &st, 0);
  Run r;
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  r.out = slurp(log);
  return r;
}

std::string one_error(const std::string& path, const std::string& problem) {
  return "tpe: error: " + path + ": " + problem + "\n";
}

// Processes whose working directory lies under `dir`.
int processes_in(const std::string& dir) {
  int n = 0;
  for (const auto& e : fs::directory_iterator("/proc")) {
    std::error_code ec;
    const fs::path cwd = fs::read_symlink(e.path() / "cwd", ec);
    if (!ec && cwd.string().rfind(dir, 0) == 0) ++n;
  }
  return n;
}

} // namespace

TEST_CASE("input paths: one clear error for each kind of path that is not a file") {
  const Scratch d_dir("in");
  const std::string& d = d_dir.path;
  REQUIRE(mkfifo((d + "/fifo").c_str(), 0644) == 0);
  fs::create_symlink("missing.csv", d + "/dangling");
  fs::create_symlink(kGemm, d + "/link.csv");
  const std::string w = "cannot open the workload file: ";
  auto read = [](const std::string& p) { return parse_workload_file(p); };
  CHECK(error_of([&] { read(d); }) == d + ": " + w + "it is a directory");
  CHECK(error_of([&] { read(d + "/fifo"); }) ==
        d + "/fifo: " + w + "it is a FIFO (named pipe), not a regular file");
  CHECK(error_of([&] { read("/dev/zero"); }) ==
        "/dev/zero: " + w + "it is a character device, not a regular file");
  CHECK(error_of([&] { read("/dev/urandom"); }) ==
        "/dev/urandom: " + w + "it is a character device, not a regular file");
  CHECK(error_of([&] { read(""); }) == "\"\": empty path given for the workload file");
  CHECK(error_of([&] { read(d + "/none.csv"); }) ==
        d + "/none.csv: " + w + "no such file or directory");
  CHECK(error_of([&] { read(d + "/dangling"); }) ==
        d + "/dangling: " + w + "the symbolic link points to a missing file");
  CHECK(error_of([&] { read("/dev/null"); }) == "/dev/null:1: header: the workload file is empty");
  CHECK(read(d + "/link.csv").layers.size() == read(kGemm).layers.size()); // links are followed
  // every parser goes through the same reader
  CHECK(error_of([&] { parse_arch_file(d + "/fifo"); }) ==
        d + "/fifo: cannot open the architecture file: it is a FIFO (named pipe), not a regular "
            "file");
  std::ostringstream notes;
  CHECK(error_of([&] { parse_scalesim_config("/dev/zero", notes); }) ==
        "/dev/zero: cannot open the SCALE-Sim configuration: it is a character device, not a "
        "regular file");
  CHECK(error_of([&] { parse_arch_file("/dev/null"); }) ==
        "/dev/null:1: the architecture file is empty (expected a mapping)");
  // the size limit
  put(d + "/big.txt", std::string(100, 'x'));
  CHECK(error_of([&] { read_file(d + "/big.txt", "the file", 99); }) ==
        d + "/big.txt: cannot open the file: it is larger than tpe's input limit of 99 bytes");
  CHECK(read_file(d + "/big.txt", "the file", 100).size() == 100);
  CHECK(kMaxInputBytes == (int64_t(256) << 20));
}

TEST_CASE("files tpe's tools wrote are read with the same checks, a failure a ToolError") {
  const Scratch d_dir("tool");
  const std::string& d = d_dir.path;
  REQUIRE(mkfifo((d + "/fifo").c_str(), 0644) == 0);
  const auto tool_error = [](const std::function<void()>& f) -> std::string {
    try {
      f();
    } catch (const ToolError& e) {
      return e.what();
    } catch (const std::exception& e) {
      return std::string("not a ToolError: ") + e.what();
    }
    return "accepted";
  };
  put(d + "/cov.dat", std::string(100, 'x'));
  CHECK(tool_error([&] { read_tool_output(d + "/cov.dat", "the toggle counts", 99); }) ==
        d + "/cov.dat: cannot open the toggle counts: it is larger than tpe's input limit of 99 "
            "bytes");
  CHECK(read_tool_output(d + "/cov.dat", "the toggle counts").size() == 100);
  CHECK(tool_error([&] { read_tool_output(d + "/fifo", "the trace"); }) ==
        d + "/fifo: cannot open the trace: it is a FIFO (named pipe), not a regular file");
  // netlists: a larger, documented limit; missing and invalid JSON are ToolErrors
  CHECK(kMaxToolOutputBytes == (int64_t(4) << 30));
  CHECK(tool_error([&] { read_netlist_json(d + "/netlist.json"); }) ==
        d + "/netlist.json: cannot open yosys's netlist JSON: no such file or directory");
  put(d + "/netlist.json", "{\"modules\": ");
  CHECK(tool_error([&] {
          read_netlist_json(d + "/netlist.json");
        }).rfind(d + "/netlist.json: yosys's netlist JSON is not valid JSON: ", 0) == 0);
  put(d + "/netlist.json", "{\"modules\": {}}");
  CHECK(read_netlist_json(d + "/netlist.json").at("modules").empty());
}

TEST_CASE("tpe refuses bad input paths with one line and status 2, and never hangs") {
  const Scratch d_dir("incli");
  const std::string& d = d_dir.path;
  REQUIRE(mkfifo((d + "/fifo").c_str(), 0644) == 0);
  const std::string fifo = d + "/fifo";
  const std::string fifo_kind = "it is a FIFO (named pipe), not a regular file";
  Run r = run_tpe_argv({"sim", "--arch", kArch, "--workload", fifo});
  CHECK(r.status == 2);
  CHECK(r.out == one_error(fifo, "cannot open the workload file: " + fifo_kind));
  r = run_tpe_argv({"sim", "--arch", fifo, "--workload", kGemm});
  CHECK(r.out == one_error(fifo, "cannot open the architecture file: " + fifo_kind));
  r = run_tpe_argv({"sim", "--scalesim-config", "/dev/urandom", "--topology", kGemm});
  CHECK(r.status == 2);
  CHECK(r.out == one_error("/dev/urandom", "cannot open the SCALE-Sim configuration: it is a "
                                           "character device, not a regular file"));
  r = run_tpe_argv({"sim", "--arch", kArch, "--topology", d});
  CHECK(r.out == one_error(d, "cannot open the workload file: it is a directory"));
  r = run_tpe_argv(
      {"sim", "--arch", kArch, "--workload", kGemm, "--mode", "analytic", "--energy", fifo});
  CHECK(r.status == 2);
  CHECK(r.out.find("tpe: error: " + fifo + ": cannot open the calibration file: " + fifo_kind) !=
        std::string::npos);
  r = run_tpe_argv({"synth", "--arch", kArch, "--liberty", fifo});
  CHECK(r.status == 2);
  CHECK(r.out == one_error(fifo, "cannot open the Liberty file: " + fifo_kind));
  for (const char* opt : {"--arch", "--workload"}) {
    r = run_tpe_argv({"sim", opt, ""});
    CHECK(r.status == 2);
    CHECK(r.out == one_error(std::string("sim: ") + opt, "an empty value"));
  }
  r = run_tpe_argv({"gen", "--arch", kArch, "--out", ""});
  CHECK(r.status == 2);
  CHECK(r.out == one_error("gen: --out", "an empty value"));
  r = run_tpe_argv({"sim", "--arch", kArch, "--workload", "/dev/null"});
  CHECK(r.status == 2);
  CHECK(r.out == one_error("/dev/null:1", "header: the workload file is empty"));
}

TEST_CASE("outputs: devices and symbolic links are written where they point") {
  const Scratch d_dir("out");
  const std::string& d = d_dir.path;
  // a symbolic link: its target is replaced, the link stays a link
  put(d + "/target.json", "old");
  fs::create_symlink("target.json", d + "/link.json");
  write_file_atomic(d + "/link.json", "new");
  CHECK(fs::is_symlink(d + "/link.json"));
  CHECK(slurp(d + "/target.json") == "new");
  // a dangling link: the target is created
  fs::create_symlink("sub/created.json", d + "/dangling.json");
  write_file_atomic(d + "/dangling.json", "made");
  CHECK(fs::is_symlink(d + "/dangling.json"));
  CHECK(slurp(d + "/sub/created.json") == "made");
  // a regular file keeps its permissions
  put(d + "/private.json", "x");
  fs::permissions(d + "/private.json", fs::perms::owner_read | fs::perms::owner_write);
  write_file_atomic(d + "/private.json", "y");
  CHECK((fs::status(d + "/private.json").permissions() & fs::perms::all) ==
        (fs::perms::owner_read | fs::perms::owner_write));
  // a device is written in place: /dev/null directly and through a link
  fs::create_symlink("/dev/null", d + "/null_link");
  write_file_atomic("/dev/null", "discarded\n");
  write_file_atomic(d + "/null_link", "discarded\n");
  CHECK(is_char_device("/dev/null"));
  CHECK(fs::is_symlink(d + "/null_link"));
  CHECK(error_of([&] { write_file_atomic("/dev/full", "x"); }) ==
        "/dev/full: error while writing the output file: no space left on device");
  // a FIFO nobody reads: refused at once, never a hang
  REQUIRE(mkfifo((d + "/fifo").c_str(), 0644) == 0);
  CHECK(error_of([&] { write_file_atomic(d + "/fifo", "x"); }) ==
        d + "/fifo: cannot write the output file: nothing reads from it (it is a FIFO (named "
            "pipe), not a regular file)");
  // a directory, an empty path, an unreachable parent
  CHECK(error_of([&] { write_file_atomic(d, "x"); }) ==
        d + ": cannot write the output file: it is a directory");
  CHECK(error_of([&] { write_file_atomic("", "x"); }) ==
        "\"\": empty path given for an output file");
  put(d + "/plain", "");
  CHECK(error_of([&] { write_file_atomic(d + "/plain/sub/r.json", "x"); }) ==
        d + "/plain/sub/r.json: cannot write the output file: not a directory");
  // nothing temporary is left beside the outputs
  for (const auto& e : fs::recursive_directory_iterator(d))
    CHECK(e.path().filename().string().find(".tmp.") == std::string::npos);
}

TEST_CASE("tpe writes reports to /dev/null and through symbolic links without replacing them") {
  const Scratch d_dir("outcli");
  const std::string& d = d_dir.path;
  fs::create_symlink("/dev/null", d + "/null.json");
  Run r = run_tpe_argv(
      {"sim", "--arch", kArch, "--workload", kGemm, "--mode", "analytic", "--json", "/dev/null"});
  CHECK(r.status == 0);
  CHECK(is_char_device("/dev/null"));
  r = run_tpe_argv({"sim", "--arch", kArch, "--workload", kGemm, "--mode", "analytic", "--json",
                    d + "/null.json"});
  CHECK(r.status == 0);
  CHECK(fs::is_symlink(d + "/null.json"));
  CHECK(is_char_device("/dev/null"));
  fs::create_symlink("real.json", d + "/r.json");
  r = run_tpe_argv(
      {"sim", "--arch", kArch, "--workload", kGemm, "--mode", "analytic", "--json", d + "/r.json"});
  CHECK(r.status == 0);
  CHECK(fs::is_symlink(d + "/r.json"));
  CHECK(nlohmann::json::parse(slurp(d + "/real.json"))["layers"].size() == 5);
  // refused before the run starts (no progress line), as is a --keep that is a file
  r = run_tpe_argv(
      {"sim", "--arch", kArch, "--workload", kGemm, "--mode", "analytic", "--json", d});
  CHECK(r.status == 2);
  CHECK(r.out == one_error(d, "cannot write the output file: it is a directory"));
  put(d + "/file", "");
  r = run_tpe_argv({"synth", "--arch", kArch, "--json", d + "/file/r.json"});
  CHECK(r.out == one_error(d + "/file/r.json", "cannot write the output file: not a directory"));
  r = run_tpe_argv({"synth", "--arch", kArch, "--keep", d + "/file"});
  CHECK(r.status == 2);
  CHECK(r.out.find(one_error(d + "/file", "cannot create the --keep directory: it is a file, "
                                          "not a directory")) != std::string::npos);
}

TEST_CASE("an output path '-' is standard output, never a file named '-'") {
  const Scratch d("dash");
  const Run r = run_tpe_argv(
      {"sim", "--arch", kArch, "--workload", kGemm, "--mode", "analytic", "--json", "-"}, "",
      d.path);
  CHECK(r.status == 0);
  CHECK_FALSE(fs::exists(d.path + "/-"));
  const auto brace = r.out.find("\n{\n");
  REQUIRE(brace != std::string::npos);
  CHECK(nlohmann::json::parse(r.out.substr(brace))["layers"].size() == 5);
}

TEST_CASE("--out DIR is replaced as a whole and the files a user put there stay") {
  const Scratch d_dir("dir");
  const std::string& d = d_dir.path;
  const std::string out = d + "/out";
  // a staged directory that is never committed leaves DIR as it was
  fs::create_directories(out);
  put(out + "/sim_report.csv", "old");
  put(out + "/notes.txt", "mine");
  {
    StagedDir s(out);
    s.write("sim_report.csv", "half");
  }
  CHECK(slurp(out + "/sim_report.csv") == "old");
  // committed: new reports, stale owned files gone, the user's files kept
  put(out + "/COMPUTE_REPORT.csv", "stale");
  fs::create_directories(out + "/mine/deep");
  put(out + "/mine/deep/x.txt", "kept");
  {
    StagedDir s(out);
    s.write("sim_report.csv", "new");
    s.commit({"sim_report.csv", "COMPUTE_REPORT.csv"});
    CHECK(s.exchanged());
  }
  CHECK(slurp(out + "/sim_report.csv") == "new");
  CHECK_FALSE(fs::exists(out + "/COMPUTE_REPORT.csv"));
  CHECK(slurp(out + "/notes.txt") == "mine");
  CHECK(slurp(out + "/mine/deep/x.txt") == "kept");
  for (const auto& e : fs::directory_iterator(d))
    CHECK(e.path().filename() == "out"); // no staging directory left
  // a symbolic link to a directory: the target is replaced, the link stays
  fs::create_symlink("out", d + "/out_link");
  {
    StagedDir s(d + "/out_link");
    s.write("sim_report.csv", "via link");
    s.commit({"sim_report.csv"});
  }
  CHECK(fs::is_symlink(d + "/out_link"));
  CHECK(slurp(out + "/sim_report.csv") == "via link");
  // not a directory, empty, root
  put(d + "/file", "");
  CHECK(error_of([&] { StagedDir s(d + "/file"); }) ==
        d + "/file: cannot write the output directory: it is a file, not a directory");
  CHECK(error_of([&] { StagedDir s(""); }) == "\"\": empty path given for the output directory");
  CHECK(error_of([&] { StagedDir s("/"); }) ==
        "/: cannot write the output directory: it is the root directory");
}

TEST_CASE("tpe sim --out and tpe gen --out replace their files and keep the user's") {
  const Scratch d_dir("dircli");
  const std::string& d = d_dir.path;
  const std::string out = d + "/out";
  fs::create_directories(out);
  put(out + "/README.txt", "mine");
  Run r = run_tpe_argv({"sim", "--arch", kArch, "--workload", kGemm, "--mode", "analytic", "--out",
                        out, "--seed", "3"});
  REQUIRE(r.status == 0);
  for (const char* f : {"sim_report.csv", "sim_report.json", "COMPUTE_REPORT.csv", "README.txt"})
    CHECK(fs::exists(out + "/" + f));
  // gen: the files of an earlier design that the new one does not write go
  const std::string rtl = d + "/rtl";
  r = run_tpe_argv({"gen", "--arch", kSrc + "/configs/cube_4x4x4.yaml", "--out", rtl});
  REQUIRE(r.status == 0);
  std::set<std::string> cube;
  for (const auto& e : fs::directory_iterator(rtl))
    cube.insert(e.path().filename().string());
  put(rtl + "/my_tb.sv", "keep me");
  r = run_tpe_argv({"gen", "--arch", kArch, "--out", rtl});
  REQUIRE(r.status == 0);
  std::set<std::string> now, listed = {"filelist.f", "my_tb.sv"};
  for (const auto& e : fs::directory_iterator(rtl))
    now.insert(e.path().filename().string());
  std::istringstream fl(slurp(rtl + "/filelist.f"));
  for (std::string l; std::getline(fl, l);)
    listed.insert(l);
  CHECK(now == listed);
  CHECK(slurp(rtl + "/my_tb.sv") == "keep me");
  CHECK(cube != listed); // the test changed designs
  // --out . from inside DIR: the directory the shell is in survives
  r = run_tpe_argv({"gen", "--arch", kArch, "--out", "."}, "", rtl);
  CHECK(r.status == 0);
  CHECK(fs::exists(rtl + "/filelist.f"));
  CHECK(slurp(rtl + "/my_tb.sv") == "keep me");
  for (const auto& e : fs::directory_iterator(d))
    CHECK(e.path().filename().string().find(".tmp.") == std::string::npos);
}

TEST_CASE("text fields: invalid UTF-8, control characters and long names") {
  CHECK(valid_utf8("plain caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
  CHECK_FALSE(valid_utf8("\xff"));
  CHECK_FALSE(valid_utf8("\xc0\xaf"));         // overlong '/'
  CHECK_FALSE(valid_utf8("\xed\xa0\x80"));     // a surrogate
  CHECK_FALSE(valid_utf8("\xf4\x90\x80\x80")); // above U+10FFFF
  CHECK_FALSE(valid_utf8("\xe2\x82"));         // cut short
  CHECK(has_control("a\tb"));
  CHECK(has_control("\x1b[31m"));
  CHECK(has_control("\xc2\x9b")); // C1 CSI
  CHECK_FALSE(has_control("caf\xc3\xa9"));
  CHECK(printable("a\x1b[2Jb\n\xff\xc2\x9b\xc3\xa9") == "a\\x1b[2Jb\\x0a\\xff\\u009b\xc3\xa9");
  CHECK(utf8_prefix("\xc3\xa9\xc3\xa9\xc3\xa9", 2) == "\xc3\xa9\xc3\xa9");
  const std::string h = "Layer name, M, N, K,\n";
  auto err = [&](const std::string& name) {
    return error_of([&] { parse_workload_text(h + name + ", 1, 2, 3,\n", "w.csv"); });
  };
  CHECK(err("bad\xff") == "w.csv:2: Layer name: is not valid UTF-8");
  CHECK(err("red\x1b[31m") == "w.csv:2: Layer name: contains a control character "
                              "('red\\x1b[31m')");
  CHECK(err(std::string(257, 'n')) == "w.csv:2: Layer name: longer than 256 bytes");
  CHECK(err(std::string(256, 'n')).empty());
  const Workload w = parse_workload_text(h + "\xce\xb1\xce\xb2, 1, 2, 3,\n", "w.csv");
  CHECK(w.layers.at(0).name == "\xce\xb1\xce\xb2");
  // a report holding bytes that are not UTF-8 (a file name) is still valid JSON
  const nlohmann::json j = {{"workload", "dir/\xff\xfe.csv"}};
  CHECK(nlohmann::json::parse(json_text(j))["workload"] == "dir/\xef\xbf\xbd\xef\xbf\xbd.csv");
}

TEST_CASE("fnv1a: the published 64-bit FNV-1a vectors and tpe's start value") {
  // draft-eastlake-fnv test vectors, from the standard offset basis
  CHECK(fnv1a("", kFnv1aOffsetBasis) == 0xcbf29ce484222325ull);
  CHECK(fnv1a("a", kFnv1aOffsetBasis) == 0xaf63dc4c8601ec8cull);
  CHECK(fnv1a("foobar", kFnv1aOffsetBasis) == 0x85944171f73967e8ull);
  // tpe's start value (cache keys and recorded hashes depend on these values)
  CHECK(fnv1a("") == 1469598103934665603ull);
  CHECK(fnv1a("tpe") == 0x96467c5173e0186eull);
  CHECK(fnv1a("b", fnv1a("a")) == fnv1a("ab"));
  CHECK(fnv1a("ab") == 0x9bac4b00c65ba4ecull);
}

TEST_CASE("tpe escapes control characters and odd bytes in what it echoes") {
  const Scratch d_dir("text");
  const std::string& d = d_dir.path;
  const std::string odd = d + "/\xff\xfe.csv"; // not UTF-8, echoed into the JSON report
  fs::copy_file(kGemm, odd);
  Run r = run_tpe_argv(
      {"sim", "--arch", kArch, "--workload", odd, "--mode", "analytic", "--json", d + "/r.json"});
  REQUIRE(r.status == 0);
  CHECK(nlohmann::json::parse(slurp(d + "/r.json"))["layers"].size() == 5);
  CHECK(r.out.find('\xff') == std::string::npos);
  r = run_tpe_argv({"sim", "--arch", kArch, "--workload", d + "/\x1b[2J\nx.csv"});
  CHECK(r.status == 2);
  CHECK(r.out == one_error(d + "/\\x1b[2J\\x0ax.csv",
                           "cannot open the workload file: no such file or directory"));
  put(d + "/w.csv", "Layer name, M, N, K,\nev\x1bil, 1, 2, 3,\n");
  r = run_tpe_argv({"sim", "--arch", kArch, "--workload", d + "/w.csv"});
  CHECK(r.status == 2);
  CHECK(r.out ==
        one_error(d + "/w.csv:2", "Layer name: contains a control character ('ev\\x1bil')"));
}

TEST_CASE("a duplicate SCALE-Sim key is an error naming both lines") {
  const Scratch d_dir("cfg");
  const std::string& d = d_dir.path;
  put(d + "/dup.cfg", "[general]\nrun_name = x\n\n[architecture_presets]\nArrayHeight: 8\n"
                      "ArrayWidth: 8\narrayheight: 16\nDataflow: os\n");
  std::ostringstream notes;
  CHECK(error_of([&] { parse_scalesim_config(d + "/dup.cfg", notes); }) ==
        d + "/dup.cfg:7: architecture_presets.arrayheight: duplicate key (first at line 5)");
  put(d + "/ok.cfg", "[architecture_presets]\nArrayHeight: 8\nArrayWidth: 4\nDataflow: os\n");
  CHECK(parse_scalesim_config(d + "/ok.cfg", notes).cols == 4);
}

TEST_CASE("the workload parser reads 200,000 rows in one linear pass") {
  std::string text = "Layer name, M, N, K,\n# generated\n";
  const int n = 200000;
  for (int i = 0; i < n; ++i)
    text += "l" + std::to_string(i) + ", " + std::to_string(1 + i % 97) + ", " +
            std::to_string(1 + i % 89) + ", " + std::to_string(1 + i % 83) + ",\r\n";
  const Workload w = parse_workload_text(text, "big.csv");
  REQUIRE(w.layers.size() == static_cast<size_t>(n));
  int64_t macs = 0;
  for (int i = 0; i < n; ++i)
    macs += int64_t(1 + i % 97) * (1 + i % 89) * (1 + i % 83);
  int64_t got = 0;
  for (const auto& l : w.layers)
    got += l.macs();
  CHECK(got == macs);
  CHECK(w.layers.back().name == "l199999");
  CHECK(w.layers.back().line == n + 2);
  CHECK(w.layers.capacity() <= text.size() / 8 + 1); // sized by the file, not doubled
}

TEST_CASE("temporary paths go on return, on an exception and on exit") {
  const Scratch d_dir("tmp");
  const std::string& d = d_dir.path;
  setenv("TMPDIR", d.c_str(), 1);
  std::string kept;
  {
    TempPath t = make_temp_dir("tpe_t");
    CHECK(t.path().rfind(d + "/tpe_t.", 0) == 0);
    put(t.path() + "/f", "x");
    TempPath k = make_temp_dir("tpe_k");
    kept = k.path();
    k.release();
  }
  CHECK(fs::exists(kept));
  fs::remove_all(kept);
  CHECK(fs::is_empty(d));
  try {
    TempPath t = make_temp_dir("tpe_e");
    throw InputError("boom");
  } catch (const InputError&) {
  }
  CHECK(fs::is_empty(d));
  // exit() with a path still registered (a child process, so this test goes on)
  const pid_t pid = fork();
  if (pid == 0) {
    const TempPath* t = new TempPath(make_temp_dir("tpe_x"));
    (void)t;
    std::exit(0);
  }
  int st = 0;
  waitpid(pid, &st, 0);
  CHECK(fs::is_empty(d));
  unsetenv("TMPDIR");
}

TEST_CASE("a signal kills the children and removes the temporary files") {
  // library level: a child process registers a directory and a file, runs a
  // sleeping grandchild through run_process, and is sent SIGTERM
  const Scratch d_dir("sig");
  const std::string& d = d_dir.path;
  const pid_t pid = fork();
  if (pid == 0) {
    setenv("TMPDIR", d.c_str(), 1);
    install_cleanup_handlers();
    TempPath t = make_temp_dir("tpe_s");
    TempPath f(d + "/x.tmp.1", false);
    put(f.path(), "x");
    run_process({"sleep", "60"}, t.path(), "log");
    _exit(0);
  }
  for (int i = 0; i < 200 && !fs::exists(d + "/x.tmp.1"); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK(processes_in(d) == 1); // the sleep, in the temporary directory
  kill(pid, SIGTERM);
  int st = 0;
  waitpid(pid, &st, 0);
  CHECK(WIFSIGNALED(st));
  CHECK(WTERMSIG(st) == SIGTERM);
  CHECK(fs::is_empty(d));
  CHECK(processes_in(d) == 0);
}

TEST_CASE("a killed tpe synth leaves no temporary files and no running tools") {
  for (int sig : {SIGTERM, SIGINT}) {
    INFO("signal " << sig);
    const Scratch tmp_dir("synth_tmp" + std::to_string(sig));
    const std::string& tmp = tmp_dir.path;
    const Scratch log_dir("synth_log" + std::to_string(sig));
    const std::string log = log_dir.path + "/out.txt";
    const pid_t pid = fork();
    if (pid == 0) {
      setenv("TMPDIR", tmp.c_str(), 1);
      const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(fd, 1);
      dup2(fd, 2);
      execl(TPE_TPE_BIN, TPE_TPE_BIN, "synth", "--arch", kArch.c_str(), nullptr);
      _exit(127);
    }
    // wait until yosys runs in the temporary directory
    bool started = false;
    for (int i = 0; i < 600 && !started; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      started = processes_in(tmp) > 0;
    }
    CHECK(started);
    kill(pid, sig);
    int st = 0;
    waitpid(pid, &st, 0);
    CHECK(WIFSIGNALED(st));
    CHECK(WTERMSIG(st) == sig);
    CHECK(fs::is_empty(tmp));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    CHECK(processes_in(tmp) == 0);
    CHECK(fs::is_empty(tmp));
  }
}

TEST_CASE("a failing tool run leaves no temporary directory") {
  // yosys fails on this PE's Verilog once a stub named yosys shadows it on PATH
  const Scratch tmp_dir("fail_tmp");
  const std::string& tmp = tmp_dir.path;
  const Scratch bin_dir("fail_bin");
  const std::string& bin = bin_dir.path;
  put(bin + "/yosys", "#!/bin/sh\necho 'stub yosys fails' >&2\nexit 1\n");
  fs::permissions(bin + "/yosys", fs::perms::owner_all);
  const char* path = std::getenv("PATH");
  const std::string saved = path ? path : "";
  setenv("PATH", (bin + ":" + saved).c_str(), 1);
  const Run r = run_tpe_argv({"synth", "--arch", kArch}, tmp);
  setenv("PATH", saved.c_str(), 1);
  CHECK(r.status == 3);
  CHECK(r.out.find("stub yosys fails") != std::string::npos);
  CHECK(fs::is_empty(tmp));
}

TEST_CASE("a tpe sim killed before it writes --out DIR leaves the old reports untouched") {
  const Scratch d_dir("killout");
  const std::string& d = d_dir.path;
  const std::string out = d + "/out";
  fs::create_directories(out);
  put(out + "/sim_report.csv", "old");
  put(d + "/w.csv", "Layer name, M, N, K,\nbig, 512, 512, 512,\n"); // seconds in values mode
  const Scratch log_dir("killout_log");
  const pid_t pid = fork();
  if (pid == 0) {
    const int fd = open((log_dir.path + "/out.txt").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    execl(TPE_TPE_BIN, TPE_TPE_BIN, "sim", "--arch", kArch.c_str(), "--workload",
          (d + "/w.csv").c_str(), "--mode", "values", "--out", out.c_str(), nullptr);
    _exit(127);
  }
  const std::string stage = out + ".tmp." + std::to_string(pid);
  bool staged = false;
  for (int i = 0; i < 400 && !staged; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
    staged = fs::exists(stage);
  }
  CHECK(staged); // the staging directory exists while the simulation runs
  kill(pid, SIGTERM);
  int st = 0;
  waitpid(pid, &st, 0);
  CHECK(WIFSIGNALED(st));
  CHECK_FALSE(fs::exists(stage));
  CHECK(slurp(out + "/sim_report.csv") == "old");
  CHECK(fs::exists(d + "/w.csv"));
  int entries = 0;
  for (const auto& e : fs::directory_iterator(d)) {
    (void)e;
    ++entries;
  }
  CHECK(entries == 2); // out and w.csv
}

TEST_CASE(
    "test_seed: TPE_SEED replays a seed, and a malformed one fails instead of running another") {
  const char* old = std::getenv("TPE_SEED");
  const std::string saved = old ? old : "";
  ::unsetenv("TPE_SEED");
  CHECK(test::test_seed("t", 41) == 41);
  ::setenv("TPE_SEED", "18446744073709551615", 1);
  CHECK(test::test_seed("t", 41) == 18446744073709551615ull);
  for (const char* bad : {"", "abc", "12x", "-3", " 7", "18446744073709551616"}) {
    ::setenv("TPE_SEED", bad, 1);
    CHECK_THROWS_AS(test::test_seed("t", 41), std::invalid_argument);
  }
  if (old)
    ::setenv("TPE_SEED", saved.c_str(), 1);
  else
    ::unsetenv("TPE_SEED");
}
