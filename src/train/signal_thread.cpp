#include "e3/train/signal_thread.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <mutex>
#include <system_error>
#include <thread>

namespace e3::train {

std::vector<int> routed_signals() {
  return {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD, SIGUSR1, SIGUSR2, SIGALRM};
}

void handle_signals_on_own_thread() {
  static std::once_flag once;
  std::call_once(once, [] {
    sigset_t signals;
    sigemptyset(&signals);
    for (int signal : routed_signals()) sigaddset(&signals, signal);
    if (const int error = pthread_sigmask(SIG_BLOCK, &signals, nullptr)) {
      throw std::system_error(error, std::generic_category(), "pthread_sigmask");
    }
    // The thread inherits the blocked mask and unblocks it before waiting: no signal reaches a
    // thread that blocks it, so from here on every routed signal is handled on this one.
    std::thread([signals] {
      pthread_sigmask(SIG_UNBLOCK, &signals, nullptr);
      for (;;) pause();
    }).detach();
  });
}

}  // namespace e3::train
