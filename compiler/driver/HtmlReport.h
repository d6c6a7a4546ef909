// `camp report`'s page: one self-contained HTML file built from the camp.*/1 JSON results.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace camp::driver {

/// The JavaScript the page embeds: Vega, Vega-Lite and vega-embed, read from disk.
struct ChartLibrary {
  std::string vega, vegaLite, vegaEmbed;
  std::string from; // the folder they were read from (for --help and errors)
};

/// Looks for the three minified builds, in order: $CAMP_REPORT_JS, `share/camp/js` beside an
/// installed camp, `node_modules` beside the camp executable (the build tree). nullopt with
/// `searched` listing the folders tried.
std::optional<ChartLibrary> findChartLibrary(std::string &searched);

/// Everything the page shows. Each analysis is the JSON its own command prints (`camp run`,
/// `mc`, `tornado`, `sobol`, `forecast` with --format json), so the page and the CLI never
/// disagree; a missing analysis is null and its section says why.
struct ReportData {
  nlohmann::ordered_json meta;        // title, file, revision, version, seed, date, samples, command
  nlohmann::ordered_json run;         // camp.run/1 of the base case (with --set)
  nlohmann::ordered_json scenarios;   // array of camp.run/1, the base case first
  nlohmann::ordered_json assumptions; // array of {name, value, unit, shown, range, distribution, doc}
  nlohmann::ordered_json mc;          // camp.mc/1 or null
  nlohmann::ordered_json tornado;     // camp.tornado/1 or null
  nlohmann::ordered_json sobol;       // camp.sobol/1 or null
  nlohmann::ordered_json forecast;    // camp.forecast/1 or null
  std::string uncertaintyNote;        // why mc/tornado/sobol are missing (no --samples, …)
  std::string forecastNote;           // why forecast is missing
};

/// The page. Every chart is a Vega-Lite specification followed by a table of its numbers;
/// figures carry their raw value in `data-value` so tests can compare them with the JSON.
std::string renderHtmlReport(const ReportData &data, const ChartLibrary &lib);

} // namespace camp::driver
