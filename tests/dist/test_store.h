#pragma once
// A c10d store for the dist tests: a connection to an in-memory store (HashStore) that counts
// the requests made through it and can be made to fail them, as a broken connection would.

#include <atomic>
#include <stdexcept>
#include <torch/csrc/distributed/c10d/HashStore.hpp>

namespace e3::dist::testing {

class TestStore : public c10d::Store {
 public:
  /// A connection to `shared` (several TestStores may share one), or to a store of its own.
  explicit TestStore(c10::intrusive_ptr<c10d::Store> shared = c10::make_intrusive<c10d::HashStore>())
      : shared_(std::move(shared)) {}

  /// Requests made through this connection, failed ones included.
  std::atomic<int64_t> requests{0};
  /// While true, every request throws.
  std::atomic<bool> failing{false};

  /// The store this is a connection to.
  const c10::intrusive_ptr<c10d::Store>& shared() const { return shared_; }

  void set(const std::string& key, const std::vector<uint8_t>& value) override {
    request();
    shared_->set(key, value);
  }
  std::vector<uint8_t> compareSet(const std::string& key, const std::vector<uint8_t>& expected,
                                  const std::vector<uint8_t>& desired) override {
    request();
    return shared_->compareSet(key, expected, desired);
  }
  std::vector<uint8_t> get(const std::string& key) override {
    request();
    return shared_->get(key);
  }
  int64_t add(const std::string& key, int64_t value) override {
    request();
    return shared_->add(key, value);
  }
  bool deleteKey(const std::string& key) override {
    request();
    return shared_->deleteKey(key);
  }
  bool check(const std::vector<std::string>& keys) override {
    request();
    return shared_->check(keys);
  }
  int64_t getNumKeys() override {
    request();
    return shared_->getNumKeys();
  }
  void wait(const std::vector<std::string>& keys) override {
    request();
    shared_->wait(keys);
  }
  void wait(const std::vector<std::string>& keys, const std::chrono::milliseconds& timeout) override {
    request();
    shared_->wait(keys, timeout);
  }

 private:
  void request() {
    ++requests;
    if (failing) throw std::runtime_error("test store: Connection reset by peer");
  }

  c10::intrusive_ptr<c10d::Store> shared_;
};

}  // namespace e3::dist::testing
