// Which distributed run a process belongs to: command-line values, torchrun's environment
// variables, and the one-line errors for missing, inconsistent and malformed values.

#include "e3/dist/world_options.h"

#include <gtest/gtest.h>
#include <sched.h>

#include <filesystem>
#include <thread>

#include "files.h"

namespace e3::dist {
namespace {

// The message of the OptionError that world_options() throws (fails the test when none).
std::string error_of(const WorldArguments& arguments, const Environment& environment) {
  try {
    world_options(arguments, environment);
  } catch (const OptionError& error) {
    return error.what();
  }
  ADD_FAILURE() << "no OptionError";
  return "";
}

TEST(WorldOptions, NothingGivenIsASingleProcessRun) {
  EXPECT_FALSE(world_options({}, {}).has_value());
  EXPECT_FALSE(world_options({}, {{"MASTER_ADDR", "node1"}, {"MASTER_PORT", "29500"}}).has_value());
}

TEST(WorldOptions, TorchrunEnvironment) {
  const auto options = world_options(
      {},
      {{"WORLD_SIZE", "4"}, {"RANK", "3"}, {"LOCAL_RANK", "1"}, {"MASTER_ADDR", "node1"}, {"MASTER_PORT", "29400"}});
  ASSERT_TRUE(options.has_value());
  EXPECT_EQ(options->world_size(), 4);
  EXPECT_EQ(options->rank(), 3);
  EXPECT_EQ(options->local_rank(), 1);
  EXPECT_EQ(options->master_addr(), "node1");
  EXPECT_EQ(options->master_port(), 29400);
  EXPECT_EQ(options->timeout(), std::chrono::seconds(300));
  EXPECT_EQ(options->backend(), Backend::gloo);
  EXPECT_EQ(options->network_interface(), "");
}

TEST(WorldOptions, ExplicitValuesWinOneByOne) {
  WorldArguments arguments;
  arguments.rank = "0";
  arguments.master = "10.0.0.7:1234";
  arguments.timeout = "2.5";
  arguments.backend = "gloo";
  const auto options = world_options(arguments, {{"WORLD_SIZE", "2"},
                                                 {"RANK", "1"},
                                                 {"MASTER_ADDR", "node1"},
                                                 {"MASTER_PORT", "29400"},
                                                 {"GLOO_SOCKET_IFNAME", "eth1"}});
  ASSERT_TRUE(options.has_value());
  EXPECT_EQ(options->world_size(), 2);  // from the environment
  EXPECT_EQ(options->rank(), 0);        // the flag wins
  EXPECT_EQ(options->master_addr(), "10.0.0.7");
  EXPECT_EQ(options->master_port(), 1234);
  EXPECT_EQ(options->timeout(), std::chrono::milliseconds(2500));
  EXPECT_EQ(options->network_interface(), "eth1");
}

TEST(WorldOptions, TorchrunsAgentStore) {
  Environment environment{{"WORLD_SIZE", "2"}, {"RANK", "0"}, {"MASTER_ADDR", "node1"}, {"MASTER_PORT", "29400"}};
  EXPECT_FALSE(world_options({}, environment)->agent_store());
  EXPECT_EQ(world_options({}, environment)->attempt(), 0);
  environment["TORCHELASTIC_USE_AGENT_STORE"] = "True";
  environment["TORCHELASTIC_RESTART_COUNT"] = "2";
  EXPECT_TRUE(world_options({}, environment)->agent_store());
  EXPECT_EQ(world_options({}, environment)->attempt(), 2);
  environment["TORCHELASTIC_RESTART_COUNT"] = "-1";
  EXPECT_EQ(error_of({}, environment),
            "TORCHELASTIC_RESTART_COUNT=-1 (environment): the restart count must be between 0 and 2147483647");
}

TEST(WorldOptions, WorldOfOneNeedsNoMaster) {
  WorldArguments arguments;
  arguments.world_size = "1";
  const auto options = world_options(arguments, {});
  ASSERT_TRUE(options.has_value());
  EXPECT_EQ(options->world_size(), 1);
  EXPECT_EQ(options->rank(), 0);
}

TEST(WorldOptions, HostPort) {
  EXPECT_EQ(parse_host_port("node-3.cluster:29500", "--master"), std::make_pair(std::string("node-3.cluster"), 29500));
  EXPECT_EQ(parse_host_port("[::1]:80", "--master"), std::make_pair(std::string("::1"), 80));
  for (const char* bad :
       {"node1", "node1:", ":29500", "node1:0", "node1:65536", "node1:29x", "::1:80", "[::1]80", "[::1"}) {
    EXPECT_THROW(parse_host_port(bad, "--master"), OptionError) << bad;
  }
}

TEST(WorldOptions, MissingValues) {
  EXPECT_EQ(error_of({}, {{"RANK", "1"}}),
            "RANK=1 (environment) is given but the world size is not (--world-size or WORLD_SIZE)");
  WorldArguments size_only;
  size_only.world_size = "2";
  EXPECT_EQ(error_of(size_only, {}), "--world-size 2 is given but this process' rank is not (--rank or RANK)");
  EXPECT_EQ(error_of({}, {{"WORLD_SIZE", "2"}, {"RANK", "0"}}),
            "a world of 2 processes needs the master's address (--master HOST:PORT or MASTER_ADDR and MASTER_PORT)");
  EXPECT_EQ(error_of({}, {{"WORLD_SIZE", "2"}, {"RANK", "0"}, {"MASTER_ADDR", "node1"}}),
            "MASTER_ADDR=node1 (environment) is given but MASTER_PORT is not");
}

TEST(WorldOptions, BadValuesNameTheirSource) {
  const Environment two{{"WORLD_SIZE", "2"}, {"MASTER_ADDR", "127.0.0.1"}, {"MASTER_PORT", "29500"}};
  auto with = [&](const char* name, const char* value) {
    Environment environment = two;
    environment[name] = value;
    if (!environment.count("RANK")) environment["RANK"] = "0";
    return environment;
  };
  EXPECT_EQ(error_of({}, with("RANK", "2")),
            "RANK=2 (environment) is not a rank of a world of 2 (WORLD_SIZE=2 (environment); ranks are 0 to 1)");
  EXPECT_EQ(error_of({}, with("RANK", "-1")), "RANK=-1 (environment): the rank must be between 0 and 2147483647");
  EXPECT_EQ(error_of({}, with("RANK", "one")), "RANK=one (environment): the rank must be an integer");
  EXPECT_EQ(error_of({}, with("WORLD_SIZE", "0")),
            "WORLD_SIZE=0 (environment): the world size must be between 1 and 1048576");
  EXPECT_EQ(error_of({}, with("WORLD_SIZE", "2.5")), "WORLD_SIZE=2.5 (environment): the world size must be an integer");
  EXPECT_EQ(error_of({}, with("MASTER_PORT", "99999")),
            "MASTER_PORT=99999 (environment): the port must be between 1 and 65535");
  EXPECT_EQ(error_of({}, with("MASTER_ADDR", "")), "MASTER_ADDR= (environment): the master's address is empty");
  EXPECT_EQ(error_of({}, with("LOCAL_RANK", "x")), "LOCAL_RANK=x (environment): the local rank must be an integer");

  WorldArguments flags;
  flags.world_size = "3";
  flags.rank = "3";
  flags.master = "node1:29500";
  EXPECT_EQ(error_of(flags, {}), "--rank 3 is not a rank of a world of 3 (--world-size 3; ranks are 0 to 2)");
  flags.rank = "1";
  flags.master = "node1";
  EXPECT_EQ(error_of(flags, {}), "--master node1: expected HOST:PORT (an IPv6 address in brackets: [ADDRESS]:PORT)");
  flags.master = "node1:29500";
  flags.timeout = "0";
  EXPECT_EQ(error_of(flags, {}), "--dist-timeout 0: the timeout must be a positive number of seconds");
  flags.timeout = "ten";
  EXPECT_EQ(error_of(flags, {}), "--dist-timeout ten: the timeout must be a positive number of seconds");
  flags.timeout.reset();
  flags.backend = "mpi";
  EXPECT_EQ(error_of(flags, {}), "--dist-backend mpi: unknown backend 'mpi' (choose gloo or nccl)");
}

TEST(WorldOptions, NcclIsRefusedWithoutCuda) {
  if (backend_available(Backend::nccl)) GTEST_SKIP() << "this LibTorch has NCCL";
  const std::string refused =
      "--dist-backend nccl: the nccl backend needs a CUDA build of LibTorch; this one is CPU-only (use gloo)";
  WorldArguments flags;
  flags.backend = "nccl";
  EXPECT_EQ(error_of(flags, {}), refused);  // even for a single process
  EXPECT_EQ(error_of(flags, {{"WORLD_SIZE", "2"}, {"RANK", "0"}, {"MASTER_ADDR", "node1"}, {"MASTER_PORT", "29400"}}),
            refused);
  EXPECT_TRUE(backend_available(Backend::gloo));
}

TEST(WorldOptions, ThreadsFromTheLauncher) {
  EXPECT_FALSE(threads_from_environment({}).has_value());
  EXPECT_EQ(threads_from_environment({{"OMP_NUM_THREADS", "1"}}), 1);
  EXPECT_THROW(threads_from_environment({{"OMP_NUM_THREADS", "0"}}), OptionError);
  EXPECT_THROW(threads_from_environment({{"OMP_NUM_THREADS", "2,1"}}), OptionError);
}

TEST(WorldOptions, CurrentEnvironment) {
  setenv("E3_WORLD_OPTIONS_TEST", "a=b", 1);
  EXPECT_EQ(current_environment().at("E3_WORLD_OPTIONS_TEST"), "a=b");
}

}  // namespace
}  // namespace e3::dist
