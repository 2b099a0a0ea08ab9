#include "e3/chem/xtb.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "e3/chem/structure.h"
#include "e3/data/elements.h"
#include "e3/data/read.h"

extern char** environ;

namespace e3::chem {
namespace fs = std::filesystem;
namespace {

// A temporary directory, removed with everything xtb wrote into it.
class ScratchDirectory {
 public:
  ScratchDirectory() {
    std::string pattern = (fs::temp_directory_path() / "e3cpp-xtb-XXXXXX").string();
    if (!mkdtemp(pattern.data())) {
      throw StructureError("optimization_failed", std::string("cannot make a directory for xtb: ") + std::strerror(errno));
    }
    path_ = pattern;
  }
  ~ScratchDirectory() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  std::string file(const std::string& name) const { return (fs::path(path_) / name).string(); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The last non-blank line of `text`, for an error message.
std::string last_line(const std::string& text) {
  std::istringstream lines(text);
  std::string line, last;
  while (std::getline(lines, line)) {
    if (line.find_first_not_of(" \t\r") != std::string::npos) last = line;
  }
  return last.substr(last.find_first_not_of(" \t"));
}

}  // namespace

bool xtb_available() {
  const char* path = std::getenv("PATH");
  if (!path) return false;
  std::stringstream directories(path);
  for (std::string directory; std::getline(directories, directory, ':');) {
    const fs::path candidate = fs::path(directory.empty() ? "." : directory) / "xtb";
    if (access(candidate.c_str(), X_OK) == 0) return true;
  }
  return false;
}

std::vector<double> xtb_optimized(const std::vector<int64_t>& atomic_numbers, const std::vector<double>& positions,
                                  int64_t charge) {
  ScratchDirectory scratch;
  {
    std::ofstream input(scratch.file("input.xyz"));
    input.precision(10);
    input << atomic_numbers.size() << "\ne3cpp\n";
    for (size_t a = 0; a < atomic_numbers.size(); ++a) {
      input << data::element_symbol(atomic_numbers[a]) << ' ' << positions[3 * a] << ' ' << positions[3 * a + 1] << ' '
            << positions[3 * a + 2] << '\n';
    }
    if (!input) throw StructureError("optimization_failed", "cannot write xtb's input in " + scratch.path());
  }
  // xtb runs in the scratch directory (it writes its files into the working directory), on one
  // thread (e3cpp's threads are busy elsewhere), its output into a log.
  std::vector<std::string> arguments = {"xtb", "input.xyz", "--opt", "--gfn", "2", "--chrg", std::to_string(charge)};
  std::vector<char*> argv;
  for (auto& argument : arguments) argv.push_back(argument.data());
  argv.push_back(nullptr);
  std::vector<std::string> variables;
  for (char** variable = environ; *variable; ++variable) {
    if (std::strncmp(*variable, "OMP_NUM_THREADS=", 16) != 0) variables.emplace_back(*variable);
  }
  variables.emplace_back("OMP_NUM_THREADS=1");
  std::vector<char*> envp;
  for (auto& variable : variables) envp.push_back(variable.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addchdir_np(&actions, scratch.path().c_str());
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "xtb.log", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  // xtb starts with no signal blocked, whatever this thread blocks (e3cpp blocks the ones it
  // handles on a thread of their own, which a child would otherwise inherit).
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, "xtb", &actions, &attributes, argv.data(), envp.data());
  posix_spawnattr_destroy(&attributes);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    throw StructureError("optimization_failed", std::string("cannot run xtb: ") + std::strerror(spawned));
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) continue;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw StructureError("optimization_failed",
                         "xtb failed (" + (WIFEXITED(status) ? "exit status " + std::to_string(WEXITSTATUS(status))
                                                             : std::string("killed")) +
                             "): " + last_line(read_file(scratch.file("xtb.log"))));
  }
  const auto optimized = data::parse_molecules(read_file(scratch.file("xtbopt.xyz")), "xtbopt.xyz", "xtbopt.xyz");
  if (optimized.size() != 1 || optimized[0].atomic_numbers != atomic_numbers) {
    throw StructureError("optimization_failed", "xtb's xtbopt.xyz does not hold the molecule's atoms");
  }
  return optimized[0].positions;
}

}  // namespace e3::chem
