// e3cpp: one binary, one subcommand per job (see commands.h).

#include <torch/torch.h>

#include <algorithm>
#include <exception>
#include <iostream>
#include <string>

#include "args.h"
#include "commands.h"
#include "e3/chem/formats.h"
#include "e3/perf/machine.h"
#include "e3/train/reuse_freed_memory.h"
#include "e3/train/signal_thread.h"
#include "e3/version.h"

namespace {

void print_usage(std::ostream& out) {
  out << "usage: e3cpp <command> [arguments] [--help]\n"
         "\n"
         "SE(3)-equivariant neural networks (e3nn) for molecular properties (QM9).\n"
         "\n"
         "commands:\n";
  for (const auto& command : e3::cli::commands()) {
    const std::string name = command.name;
    out << "  " << name << std::string(name.size() < 12 ? 14 - name.size() : 2, ' ') << command.summary << "\n";
  }
  out << "\n"
         "options:\n"
         "  --help        show this help; `e3cpp <command> --help` shows a command's own\n"
         "  --version     print the version\n";
}

}  // namespace

int main(int argc, char** argv) {
  // Before any thread starts: a handled signal must never land on a thread inside a GEMM.
  e3::train::handle_signals_on_own_thread();
  e3::train::reuse_freed_memory();
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    print_usage(std::cout);
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version") {
    std::cout << "e3cpp " << e3::kVersion << " (LibTorch " << TORCH_VERSION << ")\n";
    return 0;
  }
  const auto& table = e3::cli::commands();
  auto command = std::find_if(table.begin(), table.end(), [&](const auto& c) { return args[0] == c.name; });
  if (command == table.end()) {
    std::cerr << "e3cpp: error: unknown command '" << args[0] << "' (see e3cpp --help)\n";
    return 2;
  }
  // LibTorch starts with one intra-op thread on some machines: use every CPU this process may
  // use (its affinity mask and cgroup quota, not the machine's count) unless a command is told
  // otherwise (--threads).
  torch::set_num_threads(e3::perf::available_cpus());
  e3::chem::register_formats();
  try {
    return command->run(std::vector<std::string>(args.begin() + 1, args.end()));
  } catch (const e3::cli::HelpRequested& help) {
    std::cout << help.what();
    return 0;
  } catch (const e3::cli::UsageError& error) {
    std::cerr << "e3cpp " << command->name << ": error: " << e3::cli::one_line(error.what()) << "\n";
    return 2;
  } catch (const c10::Error& error) {
    std::cerr << "e3cpp " << command->name << ": error: " << e3::cli::one_line(error.what_without_backtrace()) << "\n";
    return 1;
  } catch (const std::exception& error) {
    std::cerr << "e3cpp " << command->name << ": error: " << e3::cli::one_line(error.what()) << "\n";
    return 1;
  }
}
