// Serializing one packet of the default shape (5 arrays of 10 values), done
// once per packet by the stream, whatever the number of clients.
#include <benchmark/benchmark.h>

#include "core/protocol.hpp"
#include "source/random_source.hpp"

namespace {

arraycast::packet sample_packet(std::size_t arrays, std::size_t length) {
  arraycast::random_source source(arraycast::random_params{arrays, length, 0, 99}, 1);
  return arraycast::packet{42, 1764000000123456, source.arrays_for(42)};
}

void encode_packet(benchmark::State& state) {
  const auto p = sample_packet(static_cast<std::size_t>(state.range(0)), static_cast<std::size_t>(state.range(1)));
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto text = arraycast::protocol::encode(p);
    bytes += text.size();
    benchmark::DoNotOptimize(text);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(encode_packet)->Args({5, 10})->Args({10, 1000});

void generate_and_encode(benchmark::State& state) {
  arraycast::random_source source(arraycast::random_params{5, 10, 0, 99}, 1);
  std::uint64_t seq = 0;
  for (auto _ : state) {
    ++seq;
    auto text = arraycast::protocol::encode(arraycast::packet{seq, 1764000000123456, source.arrays_for(seq)});
    benchmark::DoNotOptimize(text);
  }
}
BENCHMARK(generate_and_encode);

}  // namespace
