// What a run shows and writes: the progress display, metrics.csv and the learning curve.

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "e3/train/learning_curve.h"
#include "e3/train/line_chart.h"
#include "e3/train/metrics.h"
#include "e3/train/progress.h"
#include "cli.h"

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

ValidationRecord record(double epoch, int64_t step, std::vector<ErrorMetrics> targets) {
  ValidationRecord r;
  r.epoch = epoch;
  r.step = step;
  r.molecules = step * 16;
  r.train_loss = 0.5 / epoch;
  r.learning_rate = 1e-3;
  r.score = targets[0].mae;
  r.targets = std::move(targets);
  r.seconds = 10.0;
  r.molecules_per_second = 40.0;
  r.elapsed_seconds = 10.0 * epoch;
  return r;
}

// A label of the vertical (log) axis, right-aligned left of it, and of the horizontal axis.
std::string y_label(const std::string& text) { return "text-anchor=\"end\">" + text + "<"; }
std::string x_label(const std::string& text) { return "text-anchor=\"middle\">" + text + "<"; }

TEST(MetricsCsv, OneLinePerValidationWithColumnsPerTarget) {
  const std::vector<ValidationRecord> history = {record(0.5, 10, {{0.25, 0.3, 48}, {2.0, 2.5, 47}}),
                                                 record(1.0, 20, {{0.2, 0.28, 48}, {1.5, 2.0, 47}})};
  EXPECT_EQ(metrics_csv(history, {"mu", "U0"}),
            "epoch,step,molecules,train_loss,learning_rate,val_score,mae_mu,rmse_mu,mae_U0,rmse_U0,seconds,"
            "molecules_per_second,elapsed_seconds\n"
            "0.5,10,160,1,0.001,0.25,0.25,0.3,2,2.5,10,40,5\n"
            "1,20,320,0.5,0.001,0.2,0.2,0.28,1.5,2,10,40,10\n");
}

TEST(LearningCurve, OneTargetInItsUnitOnALogAxis) {
  std::vector<ValidationRecord> history;
  for (int64_t e = 1; e <= 12; ++e) history.push_back(record(double(e), e * 10, {{2.0 / double(e * e), 0.0, 48}}));
  const std::string svg = learning_curve_svg(history, {data::Target::mu}, {0.1});
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  // Values from 2 down to 0.0139: the axis runs from 0.01 to 2, labelled at 1, 2 and 5 times
  // the powers of ten, and goes no further than the data.
  for (const char* label : {"0.01", "0.02", "0.05", "0.1", "0.5", "1", "2"}) {
    EXPECT_NE(svg.find(y_label(label)), std::string::npos) << label;
  }
  for (const char* label : {"0.001", "5", "10"}) EXPECT_EQ(svg.find(y_label(label)), std::string::npos) << label;
  EXPECT_NE(svg.find("validation MAE (D, log scale)"), std::string::npos);
  EXPECT_NE(svg.find(">epoch<"), std::string::npos);
  EXPECT_NE(svg.find("<title>mu: 12, 0.0139 (step 120, 1920 molecules seen)</title>"), std::string::npos);
  EXPECT_EQ(testing::count_occurrences(svg, "<circle"), 12u);  // one point per validation
  EXPECT_EQ(testing::count_occurrences(svg, "<polyline"), 1u);
  EXPECT_NO_THROW(learning_curve_svg({}, {data::Target::mu}, {0.1}));
}

TEST(LearningCurve, SeveralTargetsInUnitsOfTheirSpreadWithALegend) {
  std::vector<ValidationRecord> history;
  for (int64_t e = 1; e <= 3; ++e) history.push_back(record(double(e), e, {{0.3 / e, 0, 9}, {600.0 / e, 0, 9}}));
  const std::string svg = learning_curve_svg(history, {data::Target::mu, data::Target::r2}, {0.1, 100.0});
  EXPECT_EQ(testing::count_occurrences(svg, "<polyline"), 2u);
  EXPECT_NE(svg.find("MAE / std of the target"), std::string::npos);
  // mu at epoch 1: 0.3 / 0.1 = 3; r2: 600 / 100 = 6, so both fit on one axis.
  EXPECT_NE(svg.find("<title>mu: 1, 3 (step 1, 16 molecules seen)</title>"), std::string::npos);
  EXPECT_NE(svg.find("<title>r2: 1, 6 (step 1, 16 molecules seen)</title>"), std::string::npos);
  EXPECT_NE(svg.find(">r2</text>"), std::string::npos);  // the legend
}

TEST(LineChart, LeavesOutWhatALogAxisCannotShowAndEscapesText) {
  ChartSeries series{"a<b", {0, 1, 2, 3}, {1.0, 0.0, NAN, 1.5}, {}};
  const std::string svg = line_chart_svg({series, {"c", {0, 1}, {2.0, 3.0}, {}}}, {"t & u", "x", "y"});
  EXPECT_EQ(testing::count_occurrences(svg, "<circle"), 4u);  // 2 of a<b and 2 of c
  EXPECT_NE(svg.find("a&lt;b"), std::string::npos);
  EXPECT_NE(svg.find("t &amp; u"), std::string::npos);
  // Values from 1 to 3: an axis from 1 to 3 with every tick labelled, as only 1 and 2 of 1, 2, 5
  // fall on it.
  for (const char* label : {"1", "2", "3"}) EXPECT_NE(svg.find(y_label(label)), std::string::npos) << label;
  for (const char* label : {"5", "10"}) EXPECT_EQ(svg.find(y_label(label)), std::string::npos) << label;
}

// Twelve series (a run of all targets): the ten colours, then the first two again dashed, in
// the lines and in the legend, so that no two series look alike.
TEST(LineChart, SeriesBeyondTheTenColoursAreDashed) {
  std::vector<ChartSeries> series;
  for (int k = 0; k < 12; ++k) series.push_back({"s" + std::to_string(k), {0, 1}, {1.0 + k, 2.0 + k}, {}});
  const std::string svg = line_chart_svg(series, {"title", "x", "y"});
  EXPECT_EQ(testing::count_occurrences(svg, "<polyline"), 12u);
  EXPECT_EQ(testing::count_occurrences(svg, "stroke-dasharray"), 4u);  // 2 lines and their 2 legend entries
  EXPECT_EQ(testing::count_occurrences(svg, "stroke=\"#1f77b4\" stroke-dasharray"), 2u);  // s10 and its legend
}

TEST(LineChart, TicksReadAsPeopleWriteNumbers) {
  // Validation MAEs of 0.3 to 1.2 D against molecules seen up to 20,000.
  ChartSeries series{"run", {0, 5000, 10000, 20000}, {1.2, 0.7, 0.45, 0.3}, {}};
  const std::string svg = line_chart_svg({series}, {"title", "molecules seen", "MAE (D)"});
  EXPECT_EQ(svg.find("e+"), std::string::npos) << svg;
  for (const char* label : {"2,000", "8,000", "10k", "20k"}) EXPECT_NE(svg.find(x_label(label)), std::string::npos) << label;
  // The log axis fits the data: from 0.3 to 2, labelled at 0.5, 1 and 2, not at 0.1 or 10.
  for (const char* label : {"0.5", "1", "2"}) EXPECT_NE(svg.find(y_label(label)), std::string::npos) << label;
  for (const char* label : {"0.1", "10"}) EXPECT_EQ(svg.find(y_label(label)), std::string::npos) << label;
  // A million molecules: 200k steps, 1M at the end.
  ChartSeries long_run{"run", {0, 1e6}, {1.0, 0.5}, {}};
  const std::string long_svg = line_chart_svg({long_run}, {"title", "molecules seen", "MAE (D)"});
  for (const char* label : {"200k", "1M"}) EXPECT_NE(long_svg.find(x_label(label)), std::string::npos) << label;
}

}  // namespace
}  // namespace e3::train
