// What a run shows and writes: the progress display, metrics.csv and the learning curve.

#include <gtest/gtest.h>

#include <sstream>

#include "e3/train/learning_curve.h"
#include "e3/train/metrics.h"
#include "e3/train/progress.h"

namespace e3::train {
namespace {

TEST(Progress, TerminalGetsABarOthersOnlyLines) {
  std::ostringstream terminal, log;
  for (auto* out : {&terminal, &log}) {
    Progress progress(*out, out == &terminal);
    progress.begin_epoch(2, 5, 10, 0);
    progress.batch_done(10, 42.5, 0.25);
    progress.line("epoch 2/5 done");
  }
  EXPECT_NE(terminal.str().find("epoch 2/5 [########################] 10/10  42.5 mol/s  ETA 0:00  loss 0.25"),
            std::string::npos)
      << terminal.str();
  EXPECT_NE(terminal.str().find("\r\x1b[Kepoch 2/5 done\n"), std::string::npos);  // the bar is cleared first
  EXPECT_EQ(log.str(), "epoch 2/5 done\n");
}

TEST(Progress, DurationsAreReadable) {
  EXPECT_EQ(format_duration(0), "0:00");
  EXPECT_EQ(format_duration(61.4), "1:01");
  EXPECT_EQ(format_duration(3723), "1:02:03");
  EXPECT_EQ(format_duration(-5), "0:00");
}

TEST(ErrorMetrics, MaeAndRmse) {
  const auto m = error_metrics({1.0, 2.0, 4.0}, {1.0, 1.0, 1.0});
  EXPECT_DOUBLE_EQ(m.mae, 4.0 / 3.0);
  EXPECT_DOUBLE_EQ(m.rmse, std::sqrt(10.0 / 3.0));
  EXPECT_EQ(m.count, 3);
  EXPECT_THROW(error_metrics({}, {}), std::invalid_argument);
  EXPECT_THROW(error_metrics({1.0}, {1.0, 2.0}), std::invalid_argument);
}

TEST(MetricsCsv, OneLinePerEpoch) {
  const std::vector<EpochRecord> history = {{1, 0.5, 0.25, 0.3, 10.0, 40.0, 10.0}, {2, 0.4, 0.2, 0.28, 9.5, 42.0, 19.5}};
  EXPECT_EQ(metrics_csv(history),
            "epoch,train_loss,val_mae,val_rmse,epoch_seconds,molecules_per_second,elapsed_seconds\n"
            "1,0.5,0.25,0.3,10,40,10\n"
            "2,0.4,0.2,0.28,9.5,42,19.5\n");
}

TEST(LearningCurve, LogAxisCoversTheValues) {
  std::vector<EpochRecord> history;
  for (int64_t e = 1; e <= 12; ++e) history.push_back({e, 0.0, 2.0 / double(e * e), 0.0, 0.0, 0.0, 0.0});
  const std::string svg = learning_curve_svg(history, "mu: validation MAE per epoch", "D");
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  // Values from 2 down to 0.0139: decade labels 0.01, 0.1, 1 and 10.
  for (const char* label : {">0.01<", ">0.1<", ">1<", ">10<"}) EXPECT_NE(svg.find(label), std::string::npos) << label;
  EXPECT_EQ(svg.find(">0.001<"), std::string::npos);
  EXPECT_NE(svg.find("validation MAE (D, log scale)"), std::string::npos);
  EXPECT_NE(svg.find("<title>epoch 12: 0.0139 D</title>"), std::string::npos);
  // One point per epoch.
  size_t circles = 0;
  for (size_t at = svg.find("<circle"); at != std::string::npos; at = svg.find("<circle", at + 1)) ++circles;
  EXPECT_EQ(circles, 12u);
  EXPECT_NO_THROW(learning_curve_svg({}, "empty", "D"));
}

}  // namespace
}  // namespace e3::train
