#include <memory>
#include <stdexcept>

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include "cli/command.hpp"
#include "core/line_decoder.hpp"
#include "recorder/line_reader.hpp"
#include "recorder/recording_reader.hpp"
#include "verify/verify_report.hpp"

namespace arraycast {

namespace {

// Exit codes: 0 all accounted for, 1 something is not, 2 the files could not be read.
constexpr int exit_ok = 0, exit_findings = 1, exit_usage = 2;

struct verify_options {
  std::string file;
  std::string against;
  bool json = false;
};

// The other side of --against, by its content: another recording, or the
// lines the producer wrote, read as `serve --source stdin` reads them.
next_against open_against(const std::string& path) {
  line_reader peek(path);
  line_reader::line first;
  if (!peek.next(first) || recording_reader::detect(first.text)) {
    auto reader = std::make_shared<recording_reader>(path);
    return [reader]() -> std::optional<against_item> {
      for (;;) {
        auto item = reader->next();
        if (!item) return std::nullopt;
        if (auto* p = std::get_if<recorded_packet>(&*item)) return located_arrays{where(*p), std::move(p->arrays)};
        if (auto* u = std::get_if<unreadable_line>(&*item)) return *u;
      }
    };
  }
  auto lines = std::make_shared<line_reader>(path);
  auto decoder = std::make_shared<line_decoder>();
  return [lines, decoder]() -> std::optional<against_item> {
    for (line_reader::line line; lines->next(line);) {
      if (line.too_long) return unreadable_line{line.number, "longer than any packet's line"};
      // A blank or `#` line, or a recording's event line, is no packet: on to the next.
      auto read = decoder->feed(line.text);
      if (auto* p = std::get_if<input_packet>(&read)) return located_arrays{fmt::format("line {}", line.number), std::move(p->arrays)};
      if (auto* r = std::get_if<input_rejection>(&read)) return unreadable_line{line.number, std::move(r->detail)};
    }
    return std::nullopt;
  };
}

int run(const verify_options& o) {
  std::optional<verify_report> report;
  try {
    auto reader = std::make_shared<recording_reader>(o.file);
    const auto next = [reader] { return reader->next(); };
    if (o.against.empty())
      report = run_verify(o.file, next);
    else
      report = run_verify(o.file, next, o.against, open_against(o.against));
  } catch (const std::runtime_error& e) {
    fmt::print(stderr, "arraycast verify: {}\n", e.what());
    return exit_usage;
  }
  fmt::print("{}", o.json ? boost::json::serialize(to_json(*report)) + "\n" : to_text(*report));
  return report->ok() ? exit_ok : exit_findings;
}

}  // namespace

void add_verify_command(CLI::App& app, command_action& action) {
  auto o = std::make_shared<verify_options>();
  auto* cmd = app.add_subcommand(
      "verify", "check a recording: epochs, gaps, silent holes, duplicates, reordering, unreadable lines; "
                "exit 0 only when nothing is missing that was not announced");
  cmd->add_option("FILE", o->file, "a recording made by `arraycast record` (txt, jsonl or csv)")->required();
  cmd->add_option("--against", o->against,
                  "compare the packets' values, in order, with another recording or with the producer's input "
                  "(one packet a line: [[1,2],[3]], {\"arrays\": ...}, or numbers)");
  cmd->add_flag("--json", o->json, "print the report as one JSON object");
  cmd->callback([o, &action] { action = [o] { return run(*o); }; });
}

}  // namespace arraycast
