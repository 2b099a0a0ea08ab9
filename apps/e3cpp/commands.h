#pragma once
// The e3cpp subcommands. Each lives in commands/<name>.cpp and receives the arguments
// after its name; it returns the process exit status, throws cli::UsageError for a bad
// command line and any other std::exception for a failure (both printed as one line).

#include <string>
#include <vector>

namespace e3::cli {

using Arguments = std::vector<std::string>;

struct Command {
  const char* name;
  const char* summary;
  int (*run)(const Arguments& args);
};

/// Every subcommand, in the order `e3cpp --help` lists them.
const std::vector<Command>& commands();

int run_rs(const Arguments& args);
int run_dataset(const Arguments& args);
int run_train(const Arguments& args);
int run_eval(const Arguments& args);
int run_predict(const Arguments& args);
int run_report(const Arguments& args);
int run_compare(const Arguments& args);
int run_tetris(const Arguments& args);
int run_hpsearch(const Arguments& args);
int run_bench(const Arguments& args);
int run_models(const Arguments& args);

}  // namespace e3::cli
