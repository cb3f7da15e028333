// What the load generator pays per received packet to find seq and ts:
// the scanner it uses, against a full Boost.JSON parse and protocol::decode.
#include <benchmark/benchmark.h>
#include <boost/json.hpp>

#include "core/protocol.hpp"
#include "loadgen/packet_scan.hpp"
#include "source/random_arrays.hpp"

namespace {

std::string sample_text() {
  arraycast::random_arrays source(arraycast::random_params{5, 10, 0, 99}, 1);
  return arraycast::protocol::encode(arraycast::packet{42, 1764000000123456, source.arrays_for(42)});
}

void scan_packet(benchmark::State& state) {
  const auto text = sample_text();
  for (auto _ : state) benchmark::DoNotOptimize(arraycast::scan_packet(text));
}
BENCHMARK(scan_packet);

void json_parse(benchmark::State& state) {
  const auto text = sample_text();
  for (auto _ : state) benchmark::DoNotOptimize(boost::json::parse(text));
}
BENCHMARK(json_parse);

void protocol_decode(benchmark::State& state) {
  const auto text = sample_text();
  for (auto _ : state) benchmark::DoNotOptimize(arraycast::protocol::decode_server(text));
}
BENCHMARK(protocol_decode);

}  // namespace
