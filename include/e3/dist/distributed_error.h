#pragma once
// The error of a distributed run that cannot go on: a rank is missing, died, hangs or
// disagrees. The message is one line and names the rank(s) at fault when they are known.

#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

namespace e3::dist {

class DistributedError : public std::runtime_error {
 public:
  explicit DistributedError(const std::string& message, std::vector<int> ranks = {})
      : std::runtime_error(message), ranks_(std::move(ranks)) {}

  /// The ranks the failure was traced to (empty when it could not be).
  const std::vector<int>& ranks() const { return ranks_; }

 private:
  std::vector<int> ranks_;
};

/// "rank 1" or "ranks 1, 3".
std::string describe_ranks(const std::vector<int>& ranks);

/// The message of `error` on one line (c10's errors without their backtrace).
std::string one_line(const std::exception& error);

}  // namespace e3::dist
